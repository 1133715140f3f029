using Jevm.Codegen;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Tests.Support;
using static Jevm.Evm.OpcodeTable;

namespace Jevm.Tests.Robustness;

/// <summary>
/// CALL and CREATE chains to the EVM's depth limit (1024: a frame at depth 1024 cannot call; Yellow Paper) on every
/// engine, through the host and through <c>Engines.Create(kind).Execute</c> directly, on a normal 1 MiB thread: the
/// engines continue deep frames on a large-stack thread, so the chain runs to the EVM limit with no .NET stack
/// overflow and no internal error.
/// </summary>
public sealed class DeepRecursionTests
{
    /// <summary>
    /// Calls itself with all gas, 32 bytes of output at 0; returns 1 + that word. The frame that cannot call (depth
    /// 1024) reads 0 and returns 1, so depth 0 returns 1025.
    /// </summary>
    internal static readonly byte[] CallSelf = Code.New
        .Push(32).Push(0).Push(0).Push(0).Push(0).Op(ADDRESS, GAS, CALL, POP)
        .Push(0).Op(MLOAD).Push(1).Op(ADD).ReturnTop().Build();

    /// <summary>
    /// Creates a contract with its own code as init code, copies the child's revert data (32 bytes, or none when the
    /// CREATE failed at the depth limit) over word 0, and reverts with 1 + that word: depth 0 gets 1025.
    /// </summary>
    internal static readonly byte[] CreateSelf = Code.New
        .Op(CODESIZE).Push(0).Push(32).Op(CODECOPY)
        .Op(CODESIZE).Push(32).Push(0).Op(CREATE, POP)
        .Op(RETURNDATASIZE).Push(0).Push(0).Op(RETURNDATACOPY)
        .Push(0).Op(MLOAD).Push(1).Op(ADD).Push(0).Op(MSTORE)
        .Push(32).Push(0).Op(REVERT).Build();

    // With c gas spent per level, depth d gets about (63/64)^d·(G + 63c) − 63c (EIP-150), and (63/64)^1024 ≈ 1e-7:
    // G must exceed about 63c·1e7 (c ≈ 150 for a call, ≈ 32,200 for a create).
    internal const long CallGas = 1_000_000_000_000, CreateGas = 100_000_000_000_000;

    public static TheoryData<EngineKind, bool> Cases() => new()
    {
        { EngineKind.Interpreter, false }, { EngineKind.Interpreter, true },
        { EngineKind.Jit, false }, { EngineKind.Jit, true },
        { EngineKind.Tiered, false }, { EngineKind.Tiered, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_1024_deep_call_chain_on_a_1_MiB_thread_reaches_the_depth_limit(EngineKind kind, bool direct)
    {
        var run = new WorldStateCall(Engines.Create(kind), CallSelf);
        var r = WorldStateCall.OnThread(() => direct ? run.Direct(CallGas) : run.ViaHost(CallGas));
        Assert.True(r.Status == StatusCode.Success, $"{r.Status} {r.Error}");
        Assert.Equal(new UInt256(1025), UInt256.ReadBigEndian(r.Output));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_1024_deep_create_chain_on_a_1_MiB_thread_reaches_the_depth_limit(EngineKind kind, bool direct)
    {
        var run = new WorldStateCall(Engines.Create(kind), CreateSelf);
        var r = WorldStateCall.OnThread(() => direct ? run.Direct(CreateGas) : run.ViaHost(CreateGas));
        Assert.True(r.Status == StatusCode.Revert, $"{r.Status} {r.Error}");
        Assert.Equal(new UInt256(1025), UInt256.ReadBigEndian(r.Output));
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Deep_chains_also_run_on_a_small_256_KiB_thread(EngineKind kind)
    {
        var run = new WorldStateCall(Engines.Create(kind), CallSelf);
        var r = WorldStateCall.OnThread(() => run.Direct(CallGas), 256 * 1024);
        Assert.True(r.Status == StatusCode.Success, $"{r.Status} {r.Error}");
        Assert.Equal(new UInt256(1025), UInt256.ReadBigEndian(r.Output));
    }
}
