/// `export --format csv`: every numeric sample of the runs in long form, one row per sample.
///
/// Columns: `run, step_name, x_name, x, metric, value, timestamp` (RFC 4180; `x_name`/`x` empty when the
/// sample has no counter; `timestamp` ISO 8601 UTC). `system` figures are rows of step `system` on x
/// `time` (seconds since the run started).
package enum CSVExport {
    /// The header line.
    package static let header = "run,step_name,x_name,x,metric,value,timestamp\r\n"

    /// One row, CRLF-terminated as RFC 4180 asks.
    package static func row(run: String, _ s: RunRecording.Sample) -> String {
        let x = s.xName == nil || s.x.isNaN ? "" : ExportText.number(s.x)
        return [ExportText.csvField(run), ExportText.csvField(s.step), ExportText.csvField(s.xName ?? ""), x,
                ExportText.csvField(s.metric), ExportText.number(s.value), ExportText.isoTime(s.time)]
            .joined(separator: ",") + "\r\n"
    }
}
