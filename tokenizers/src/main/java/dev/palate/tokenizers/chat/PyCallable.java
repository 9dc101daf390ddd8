package dev.palate.tokenizers.chat;

/** Something a template can call: a global ({@code namespace}, {@code range}, ...), a bound method, or a macro. */
interface PyCallable {

    Object call(Args args);

    /** Python's type name, for error messages: {@code builtin_function_or_method}, {@code Macro}. */
    default String pythonType() {
        return "builtin_function_or_method";
    }
}
