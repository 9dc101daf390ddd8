package dev.palate.tokenizers.chat;

import java.util.LinkedHashMap;
import java.util.Map;

/** Jinja2's {@code namespace(...)}: a mutable attribute bag that {@code {% set ns.attr = ... %}} writes through scopes. */
final class Namespace {

    final Map<String, Object> attributes = new LinkedHashMap<>();
}
