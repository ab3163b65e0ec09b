import Logging
import SynapsePlugins

/// A custom action: "resizes" a folder of images (simulated), reporting progress and metrics.
struct ResizeImagesAction: PluginAction {
    struct Params: ActionParams {
        /// How many images to process.
        var count = 40
        /// Target edge length in pixels.
        var size = 224
        /// Output format.
        var format = "jpeg"
        /// Where the images are; required.
        var folder: String?

        static let rules: [ParamRule] = [
            .field("count", .ge(1), .le(10_000)),
            .field("size", .ge(16), .le(4096)),
            .field("format", .oneOf("jpeg", "png", "webp")),
            .field("folder", .required, .minLength(1)),
        ]
    }

    struct Result: Encodable, Sendable {
        var resized: Int
        var outputFolder: String
    }

    static let actionName = "resize-images"
    static let summary = "Resize a folder of images (an example of a custom action)."

    let params: Params
    let ctx: RuntimeContext

    init(params: Params, context: RuntimeContext) {
        self.params = params
        self.ctx = context
    }

    func execute() async throws -> Result {
        let folder = params.folder ?? ""
        // Plain swift-log, as existing Swift code has it: shown as a dev event of this run.
        Logger(label: "resize").debug("scanning folder", metadata: ["folder": "\(folder)"])
        ctx.logMessage("Resizing \(params.count) images in \(folder) to \(params.size)px")
        var bytesSaved = 0
        for i in 1...params.count {
            try await Task.sleep(for: .milliseconds(25))  // throws when the run is cancelled
            bytesSaved += 1500 + (i * 37) % 900
            ctx.setProgress(i, params.count, step: "resize")
            if i % 10 == 0 {
                ctx.setMetrics(["images": .int(i), "kb_saved": .double(Double(bytesSaved) / 1024)], step: "resize")
            }
        }
        ctx.logMessage("Done", context: .success)
        ctx.endLog()
        return Result(resized: params.count, outputFolder: folder + "/resized")
    }
}
