import Foundation
import SynapseCLI
import SynapseDashboard
import SynapsePlugins

/// `synapse-bench browser [--jobs 1000,5000] [--live 10] [--refreshes 20] [--dir DIR]` (issue #20): the jobs
/// browser on N job folders (each a finished 60-record run, `--live` of them still being written).
/// Figures: the first paint with no `summary.json` yet (every log read once), the first paint of a new
/// browser once they exist, a refresh where nothing changed, and a refresh after each live job appended 5
/// records. A paint is the catalog's refresh plus the list's model update and a 200x50 frame.
func browserFigure() throws {
    let counts = option("--jobs", "1000,5000").split(separator: ",").compactMap { Int($0) }
    let live = Int(option("--live", "10")) ?? 10
    let refreshes = Int(option("--refreshes", "20")) ?? 20
    for n in counts {
        let home = URL(fileURLWithPath: option("--dir", ".build/bench")).appendingPathComponent("browser-\(n)-\(getpid())")
        try? FileManager.default.removeItem(at: home)
        let store = JobStore(home: home)
        var liveLogs: [String] = []
        let t = Event.now() - 86_400
        for i in 0..<n {
            let id = String(format: "job-%06d", i)
            let log = try store.create(id).path
            var text = #"{"v":1,"event":"run_status","timestamp":\#(t + Double(i)),"data":{"status":"running","action":"train","job_id":"\#(id)","params":{"epochs":20,"learning_rate":0.001,"api_key":"k"}}}"# + "\n"
            for e in 1...20 {
                let ts = t + Double(i) + Double(e) * 0.01
                text += #"{"v":1,"event":"progress","timestamp":\#(ts),"step":"training","data":{"current":\#(e),"total":20}}"# + "\n"
                text += #"{"v":1,"event":"metrics","timestamp":\#(ts),"step":"training","data":{"epoch":\#(e),"loss":\#(1.0 / Double(e)),"accuracy":\#(1 - 1.0 / Double(e + 1))}}"# + "\n"
                text += #"{"v":1,"event":"message","timestamp":\#(ts),"level":"info","data":{"content":"epoch \#(e) done"}}"# + "\n"
            }
            if i >= live {
                text += #"{"v":1,"event":"run_status","timestamp":\#(t + Double(i) + 1),"data":{"status":"completed","action":"train","job_id":"\#(id)"}}"# + "\n"
            } else {
                liveLogs.append(log)
            }
            try text.write(toFile: log, atomically: false, encoding: .utf8)
        }
        let size = Size(width: 200, height: 50)
        func paint(_ catalog: JobCatalog, _ browser: inout JobBrowser) -> Double {
            let t0 = now()
            browser.update(catalog.refresh())
            let canvas = JobBrowserRenderer.render(browser, size: size)
            precondition(canvas.width == 200)
            return now() - t0
        }
        var cold = JobBrowser(sourceLabel: home.path)
        let coldCatalog = JobCatalog(store: store)
        let coldPaint = paint(coldCatalog, &cold)
        let coldRead = coldCatalog.logsRead
        var warm = JobBrowser(sourceLabel: home.path)
        let catalog = JobCatalog(store: store)
        let warmPaint = paint(catalog, &warm)
        let warmRead = catalog.logsRead
        var idle: [Double] = []
        for _ in 0..<refreshes { idle.append(paint(catalog, &warm)) }
        var grown: [Double] = []
        var grownBytes = 0
        for r in 0..<refreshes {
            for (k, log) in liveLogs.enumerated() {
                guard let handle = FileHandle(forWritingAtPath: log) else { continue }
                handle.seekToEndOfFile()
                var text = ""
                for j in 0..<5 {
                    text += #"{"v":1,"event":"metrics","timestamp":\#(Event.now()),"step":"training","data":{"loss":\#(0.01 * Double(r * 5 + j + k + 1))}}"# + "\n"
                }
                handle.write(Data(text.utf8))
                handle.closeFile()
            }
            grown.append(paint(catalog, &warm))
            grownBytes = catalog.bytesRead
        }
        report("browser \(n) jobs", "first paint \(seconds(coldPaint)) with no summary.json (\(coldRead) logs read), \(seconds(warmPaint)) once they exist (\(warmRead) logs read); refresh + frame, nothing changed: median \(seconds(median(idle))), max \(seconds(idle.max() ?? 0)); \(liveLogs.count) live jobs appended 5 records each: median \(seconds(median(grown))) (\(grownBytes) bytes read)")
        try? FileManager.default.removeItem(at: home)
    }
}
