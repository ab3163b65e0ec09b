import Foundation
import Testing
@testable import SynapsePlugins

struct ShapeParams: ActionParams, Hashable {
    struct Optimizer: Codable, Hashable, Sendable {
        var name = "adam"
        var momentum = 0.9
    }

    var epochs = 50
    var batchSize = 8
    var learningRate = 0.001
    var mode = "fast"
    var tags: [String] = ["a"]
    var optimizer = Optimizer()
    var datasetPath: String?
    var verbose = false

    static let rules: [ParamRule] = [
        .field("epochs", .ge(1), .le(1000)),
        .field("batch_size", .gt(0), .lt(513)),
        .field("mode", .oneOf("fast", "slow")),
        .field("tags", .minLength(1), .maxLength(3)),
        .field("optimizer.momentum", .ge(0), .le(1)),
        .field("dataset_path", .required, .minLength(2)),
    ]
}

@Suite struct ParamsValidationTests {
    func decode(_ json: JSONValue) throws(ParamsValidationError) -> ValidatedParams<ShapeParams> {
        try ParamsDecoding.decode(ShapeParams.self, from: json)
    }

    func issues(_ json: JSONValue) -> [ParamsValidationError.Issue] {
        do { _ = try decode(json); return [] } catch { return error.issues }
    }

    @Test func defaultsFillEverythingNotGiven() throws {
        let v = try decode(["dataset_path": "/d"])
        var expected = ShapeParams()
        expected.datasetPath = "/d"
        #expect(v.value == expected)
        #expect(v.json["epochs"] == 50 && v.json["batch_size"] == 8 && v.json["optimizer"]?["name"] == "adam")
        #expect(v.json.objectValue?.keys.prefix(3) == ["epochs", "batch_size", "learning_rate"])  // declaration order
    }

    @Test func snakeAndCamelCaseKeysBothWork() throws {
        #expect(try decode(["batch_size": 16, "dataset_path": "/d"]).value.batchSize == 16)
        #expect(try decode(["batchSize": 32, "dataset_path": "/d"]).value.batchSize == 32)
    }

    @Test func nestedObjectsMergeOverTheirDefaults() throws {
        let v = try decode(["optimizer": ["momentum": 0.5], "dataset_path": "/d"])
        #expect(v.value.optimizer == .init(name: "adam", momentum: 0.5))
    }

    @Test func integralFloatsAreAcceptedAsIntegers() throws {
        #expect(try decode(["epochs": 5.0, "dataset_path": "/d"]).value.epochs == 5)
        #expect(try decode(["learning_rate": 1, "dataset_path": "/d"]).value.learningRate == 1)
    }

    @Test func everyBadFieldIsReportedOnceWithPathRuleAndValue() {
        let found = issues([
            "epochs": 5000, "batch_size": "eight", "mode": "medium", "tags": [], "optimizer": ["momentum": 2],
            "verbose": "yes",
        ])
        #expect(found.map(\.path) == ["epochs", "batch_size", "mode", "tags", "optimizer.momentum", "dataset_path", "verbose"])
        let byPath = Dictionary(found.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byPath["epochs"]?.rule == "le" && byPath["epochs"]?.input == 5000)
        #expect(byPath["epochs"]?.message == "Input should be less than or equal to 1000")
        #expect(byPath["batch_size"]?.rule == "int_type" && byPath["batch_size"]?.input == "eight")
        #expect(byPath["mode"]?.rule == "one_of" && byPath["mode"]?.message == "Input should be 'fast' or 'slow'")
        #expect(byPath["tags"]?.rule == "min_length" && byPath["tags"]?.message == "List should have at least 1 item")
        #expect(byPath["optimizer.momentum"]?.rule == "le")
        #expect(byPath["dataset_path"]?.rule == "required" && byPath["dataset_path"]?.message == "Field required")
        #expect(byPath["verbose"]?.rule == "bool_type")
        #expect(found.count == 7)
    }

    @Test func theErrorReadsLikePydantic() {
        do {
            _ = try decode(["epochs": 0, "dataset_path": "/d"])
            Issue.record("expected an error")
        } catch {
            #expect(error.description == """
                1 validation error for ShapeParams
                epochs
                  Input should be greater than or equal to 1 [rule=ge, input_value=0]
                """)
            #expect(error.json == [["path": "epochs", "rule": "ge", "message": "Input should be greater than or equal to 1", "input": 0]])
        }
    }

    @Test func typeErrorsOfEveryKind() {
        let found = issues(["epochs": 1.5, "learning_rate": "x", "mode": 3, "tags": "a", "optimizer": 1,
                            "dataset_path": "/d"])
        let rules = Dictionary(found.map { ($0.path, $0.rule) }, uniquingKeysWith: { a, _ in a })
        #expect(rules == ["epochs": "int_from_float", "learning_rate": "float_type", "mode": "string_type",
                          "tags": "list_type", "optimizer": "dict_type"])
    }

    @Test func arrayItemsAreCheckedWithTheirIndex() {
        let found = issues(["tags": ["ok", 2], "dataset_path": "/d"])
        #expect(found.map(\.path) == ["tags.1"])
        #expect(found.first?.rule == "string_type")
    }

    @Test func nonObjectParamsAreOneError() {
        let found = issues([1, 2])
        #expect(found.count == 1 && found[0].rule == "dict_type" && found[0].path == "")
    }

    @Test func nullParamsMeanDefaults() throws {
        #expect(throws: ParamsValidationError.self) { try decode(.null) }  // dataset_path is required
        #expect(try ParamsDecoding.decode(TrainAction.Params.self, from: .null).value == TrainAction.Params())
    }

    @Test func unknownFieldsAreListedNotRejected() throws {
        let v = try decode(["dataset_path": "/d", "epoch": 3])
        #expect(v.unknownFields == ["epoch"])
        #expect(v.value.epochs == 50)
    }

    @Test func optionalFieldsAreKnownEvenWhenNil() throws {
        let v = try ParamsDecoding.decode(TrainAction.Params.self, from: ["fail_at_epoch": 3])
        #expect(v.unknownFields.isEmpty && v.value.failAtEpoch == 3)
    }

    @Test func theSpecsTrainParamsRules() {
        let bad = (try? ParamsDecoding.decode(TrainAction.Params.self, from: ["epochs": 0, "batch_size": 513])) == nil
        #expect(bad)
        #expect((try? ParamsDecoding.decode(TrainAction.Params.self, from: ["epochs": 1000, "batch_size": 512])) != nil)
    }

    @Test func customConstraintsRun() throws {
        struct Even: ActionParams {
            var n = 2
            static let rules: [ParamRule] = [.field("n", ParamConstraint(name: "even") { v in
                (v.intValue ?? 1) % 2 == 0 ? nil : "Input should be even"
            })]
        }
        #expect(try ParamsDecoding.decode(Even.self, from: ["n": 4]).value.n == 4)
        do { _ = try ParamsDecoding.decode(Even.self, from: ["n": 3]); Issue.record("expected an error") } catch {
            #expect(error.issues.first?.rule == "even")
        }
    }

    @Test func decoderErrorsAfterTypeChecksAreReportedTheSameWay() {
        enum Color: String, Codable { case red, green }
        struct Paint: ActionParams {
            var color = Color.red
        }
        do { _ = try ParamsDecoding.decode(Paint.self, from: ["color": "blue"]); Issue.record("expected an error") } catch {
            #expect(error.issues.count == 1 && error.issues[0].path == "color" && error.issues[0].input == "blue")
        }
    }

    @Test func snakeCaseMatchesJSONEncoder() {
        #expect(ParamsDecoding.snakeCase("batchSize") == "batch_size")
        #expect(ParamsDecoding.snakeCase("apiURL") == "api_url")
        #expect(ParamsDecoding.snakeCase("myURLValue") == "my_url_value")
        #expect(ParamsDecoding.snakeCase("epochs") == "epochs")
        #expect(ParamsDecoding.snakeCase("fail_at_epoch") == "fail_at_epoch")
    }
}
