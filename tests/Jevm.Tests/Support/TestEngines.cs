using Jevm.Evm;

namespace Jevm.Tests.Support;

/// <summary>The engines every engine-parameterised test runs on: add a kind here when its engine lands.</summary>
public static class TestEngines
{
    public static TheoryData<EngineKind> All => new() { EngineKind.Interpreter, EngineKind.Jit, EngineKind.Tiered };
}
