/**
 * {@code palate report}: a checkpoint report from a scores file written by {@code palate score}.
 *
 * <pre>
 * palate report --input scores.jsonl [--by checkpoint] [--by prompt_id] [--good aesthetic-v2&gt;=6] [--good style-loss&lt;=0.02]
 *               [--rank-by pickscore] [--metric M]... [--lower-better M]... [--prompt-field F] [--seed-field seed]
 *               [--bins N] [--title T] --output report.md --output report.csv --output report.html
 *               [--fid-reference DIR_OR_NPZ [--image-root DIR] [--fid-mode legacy|clean] [--fid-weights PATH]
 *                [--fid-dims 2048] [--device cpu] [--batch-size 50]]
 * </pre>
 *
 * <h2>Input</h2>
 * JSONL (one object per line) or CSV with a header row. Wide rows ({@code "pickscore": 21.3, "aesthetic-v2": 6.1})
 * and long rows ({@code "metric": "pickscore", "score": 21.3}) are both read. Metric columns: the {@code --metric}
 * names, else every numeric, non-input field (see {@link dev.palate.cli.report.ScoresReader}). A non-blank
 * {@code error} makes the row an error for each metric it has no finite score for (long rows: for their metric);
 * NaN/infinite scores are errors too. Errors are counted per group and metric and excluded from all statistics.
 *
 * <h2>Definitions</h2>
 * <ul>
 *   <li>Groups: one per distinct tuple of {@code --by} values (default {@code checkpoint}), in file order; a missing
 *       field is the value {@code (missing)}. The first {@code --by} field is the compared field ("checkpoint" below).</li>
 *   <li>count = successful scores; mean; std = <b>sample</b> standard deviation (divisor n−1, NaN for n &lt; 2).</li>
 *   <li>median, p10, p90 = percentiles by <b>linear interpolation</b> (numpy's default): sorted x, h = (n−1)·q,
 *       x[⌊h⌋] + (h−⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).</li>
 *   <li>share good = fraction of successful scores meeting the threshold ({@code --good}, else the default of
 *       {@link dev.palate.cli.report.MetricDirections}: aesthetic-v1/-v2/aesthetic ≥ 6, imagereward ≥ 0; none for
 *       prompt-dependent scores such as PickScore, HPS, CLIP score).</li>
 *   <li>Direction: higher is better except style-loss, fid, lpips and {@code --lower-better} metrics.</li>
 *   <li>Ranking: checkpoints by mean of {@code --rank-by} (default: the first metric in the file), best first;
 *       checkpoints without data last, unranked.</li>
 *   <li>Per-prompt table: per checkpoint × prompt ({@code prompt_id} if present, else {@code prompt}), the rank
 *       metric's mean and share good; ▼ when worse than the mean of the checkpoints' means on that prompt by more
 *       than the tie tolerance (below), ✗ when the worst and the means are not all within it (only where ≥ 2
 *       checkpoints have data).</li>
 *   <li>Win rates: for every metric and pair of checkpoints (in ranking order), images are matched on
 *       (prompt, seed); repeated images of one checkpoint/prompt/seed are averaged first; win = strictly better in
 *       the metric's direction by more than the tie tolerance; tie = |A − B| ≤ 1e-5 × the largest |score| of that
 *       metric in the file (its scale: one image scored at two batch positions differs by ~1e-6 relative, float32
 *       batched sums) and counts half; rate = (wins + ties/2)/pairs;
 *       95% <b>Wilson score interval</b> with z = 1.959964 on that rate. Pairs used and unmatched keys per side
 *       are reported.</li>
 *   <li>FID (with {@code --fid-reference}; lower is better; shown beside the ranking, never used by it): per value of
 *       the first {@code --by} field, the distinct image files of its rows ({@code image}, resolved against
 *       {@code --image-root}, default the scores file's folder: for {@code palate score --input} runs the manifest's
 *       folder, for {@code --images DIR} runs DIR), first appearance first, leaving out rows whose every metric failed.
 *       Features, statistics and distance are {@code palate fid}'s own code ({@link dev.palate.models.fid.FidCalculator#features},
 *       {@link dev.palate.models.fid.FeatureStatistics#of}, {@link dev.palate.models.fid.FrechetDistance#compute}),
 *       2048-d pool3 unless {@code --fid-dims}, mode legacy (pytorch-fid) or clean; the reference (a folder, sorted and
 *       not recursive as pytorch-fid, or an {@code .npz} of mu and sigma) is computed once. A group with n ≤ dims images
 *       gets a warning (its covariance has rank ≤ n−1, the FID is biased upward); fewer than 2 images: no FID (NaN).
 *       A missing or undecodable file is an error naming the file and the row; the group's FID uses the rest and
 *       the count of left-out files is reported.</li>
 * </ul>
 *
 * <h2>Output</h2>
 * By extension: {@code .md} tables; {@code .csv} long format {@code section,group,metric,stat,value} (sections
 * stats, ranking, prompt, winrate and fid; full precision; NaN where undefined; see
 * {@link dev.palate.cli.report.CsvReportWriter} for the fid rows); {@code .html} one self-contained file
 * (inline CSS and inline SVG histograms per metric × checkpoint with shared axes, no scripts or external
 * resources). A short summary goes to stdout. {@code cli/scripts/render-report.sh} screenshots an HTML report
 * with headless Chromium.
 */
package dev.palate.cli.report;
