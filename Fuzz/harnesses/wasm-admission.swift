// libFuzzer harness: Wasm module admission. Compiled into ModuleAdmission.swift, WasmByteReader.swift
// and WorkError.swift (the admission check is a self-contained byte parser).
// Property: `check` either admits or throws a `WorkError` (typed throws), never traps, in time
// linear in the module.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModuleAdmission(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        try ModuleAdmission.check(bytes)
    } catch {
        // Every refusal names its reason; an empty description would be a bare "invalid".
        guard !error.description.isEmpty else { fatalError("admission refused without a reason") }
    }
    return 0
}
