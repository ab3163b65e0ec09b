import FuzzDriver

runFuzzer { data, size in fuzzOne(data, size) }
