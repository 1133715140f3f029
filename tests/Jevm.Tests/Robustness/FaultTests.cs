using System.Collections.Concurrent;
using Jevm.Codegen;
using Jevm.Crypto;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.Tests.Support;
using static Jevm.Evm.OpcodeTable;

namespace Jevm.Tests.Robustness;

/// <summary>
/// Faults. (1) When compilation throws, or the runtime rejects the emitted method (InvalidProgramException), the JIT
/// and tiered engines run the code in the interpreter with the same result, and the process survives (tiered mode
/// compiles on the thread pool). (2) An exception thrown by a host callback is not swallowed or turned into a status:
/// it propagates out of <see cref="IExecutionEngine.Execute"/> to the caller unchanged; the engine releases its frame
/// and stays usable; <c>StateHost</c> undoes the state changes of every frame the exception crosses.
/// </summary>
public sealed class FaultTests
{
    private static readonly ConcurrentDictionary<Hash256, Func<Exception>> s_faults = new();

    static FaultTests() => CompiledCodeCache.CompileFaultHook = static (hash, _) =>
    {
        if (s_faults.TryGetValue(hash, out var fault)) throw fault();
    };

    /// <summary>A loop summing 1..n from call data, with a unique constant so no other test has compiled it.</summary>
    private static byte[] Program(int salt) => Code.New
        .PushN(32, new UInt256((ulong)salt, 0xfa17, 0, 0)).Op(POP)
        .Push(0).Push(0).Op(CALLDATALOAD)                 // acc n
        .Op(JUMPDEST)                                    // pc = 39
        .Op(DUP1, ISZERO).Push(56).Op(JUMPI)
        .Op(DUP1, (byte)(SWAP1 + 1), ADD, SWAP1).Push(1).Op(SWAP1, SUB).Push(39).Op(JUMP)
        .Op(JUMPDEST).Op(POP).ReturnTop().Build();       // pc = 56

    private static byte[] Input(int n) => new UInt256((ulong)n).ToBigEndianBytes();

    public static TheoryData<string> FaultKinds() => new() { "InvalidProgramException", "NullReferenceException", "OutOfMemoryException" };

    private static Exception Make(string kind) => kind switch
    {
        "InvalidProgramException" => new InvalidProgramException("injected: the runtime rejected the method"),
        "NullReferenceException" => new NullReferenceException("injected: a compiler bug"),
        _ => new OutOfMemoryException("injected"),
    };

    [Theory]
    [MemberData(nameof(FaultKinds))]
    public void A_failing_compilation_falls_back_to_the_interpreter_with_the_same_result(string kind)
    {
        byte[] code = Program(100 + kind.Length);
        Assert.Equal(JUMPDEST, code[39]);
        Assert.Equal(JUMPDEST, code[56]);
        s_faults[Keccak256.Compute(code)] = () => Make(kind);
        var expected = new TestHost(EngineKind.Interpreter, Fork.Cancun).Run(code, input: Input(100));
        Assert.Equal(new UInt256(5050), expected.Word());

        var engine = new JitEngine(tiered: false, cache: new CompiledCodeCache());
        var actual = new TestHost(engine, Fork.Cancun).Run(code, input: Input(100));
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.GasLeft, actual.GasLeft);
        Assert.Equal(expected.Output, actual.Output);
        Assert.Contains(kind, JitEngine.LastFailureReason);
        var entry = engine.Cache.TryGet(Keccak256.Compute(code), Fork.Cancun);
        Assert.NotNull(entry);
        Assert.Null(entry.Code);
        Assert.Contains("injected", entry.FailureReason);
    }

    [Fact]
    public void A_background_compilation_that_throws_leaves_tiered_mode_interpreting_with_the_same_results()
    {
        byte[] code = Program(7);
        var hash = Keccak256.Compute(code);
        s_faults[hash] = () => new InvalidProgramException("injected in the background");
        var cache = new CompiledCodeCache();
        var tiering = new TieringPolicy { HotExecutions = 8 };
        var engine = new JitEngine(tiered: true, cache: cache, tiering: tiering);
        var host = new TestHost(engine, Fork.Cancun);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        for (int i = 0; cache.TryGet(hash, Fork.Cancun) is null || i < 2 * tiering.HotExecutions; i++)
        {
            Assert.Equal(new UInt256((ulong)(i * (i + 1) / 2)), host.Run(code, input: Input(i)).Word());
            if (i > tiering.HotExecutions) Thread.Sleep(5);
            Assert.True(DateTime.UtcNow < deadline, "the background compilation never finished");
        }
        Assert.Contains("injected in the background", cache.TryGet(hash, Fork.Cancun)!.FailureReason);
    }

    /// <summary>Throws <see cref="HostFault"/> from SLOAD of key 666; everything else goes to the inner host.</summary>
    private sealed class FaultyHost(IEvmHost inner) : IEvmHost
    {
        public TxContext Context => inner.Context;
        public bool AccountExists(in Address address) => inner.AccountExists(address);
        public UInt256 GetBalance(in Address address) => inner.GetBalance(address);
        public int GetCodeSize(in Address address) => inner.GetCodeSize(address);
        public Hash256 GetCodeHash(in Address address) => inner.GetCodeHash(address);
        public ReadOnlyMemory<byte> GetCode(in Address address) => inner.GetCode(address);
        public UInt256 GetStorage(in Address address, in UInt256 key) =>
            key == new UInt256(666) ? throw new HostFault() : inner.GetStorage(address, key);
        public UInt256 GetOriginalStorage(in Address address, in UInt256 key) => inner.GetOriginalStorage(address, key);
        public void SetStorage(in Address address, in UInt256 key, in UInt256 value) => inner.SetStorage(address, key, value);
        public UInt256 GetTransientStorage(in Address address, in UInt256 key) => inner.GetTransientStorage(address, key);
        public void SetTransientStorage(in Address address, in UInt256 key, in UInt256 value) => inner.SetTransientStorage(address, key, value);
        public AccessStatus AccessAccount(in Address address) => inner.AccessAccount(address);
        public AccessStatus AccessStorage(in Address address, in UInt256 key) => inner.AccessStorage(address, key);
        public void EmitLog(in Address address, ReadOnlySpan<byte> data, ReadOnlySpan<UInt256> topics) => inner.EmitLog(address, data, topics);
        public bool SelfDestruct(in Address address, in Address beneficiary) => inner.SelfDestruct(address, beneficiary);
        public Hash256 GetBlockHash(long number) => inner.GetBlockHash(number);
        public ExecutionResult Call(in Message message) => inner.Call(message);
    }

    private sealed class HostFault() : Exception("injected host fault");

    /// <summary>Runs every frame with its host callbacks going through <see cref="FaultyHost"/>.</summary>
    private sealed class FaultyHostEngine(IExecutionEngine inner) : IExecutionEngine
    {
        public string Name => inner.Name;
        public ExecutionResult Execute(IEvmHost host, Fork fork, in Message message, ReadOnlyMemory<byte> code, in Hash256 codeHash) =>
            inner.Execute(new FaultyHost(host), fork, message, code, codeHash);
    }

    private static readonly Address s_callee = Address.Parse("0x000000000000000000000000000000000000beef");

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void A_host_callback_exception_surfaces_with_every_frames_state_reverted(EngineKind kind)
    {
        // The contract stores 42 at 1, logs, calls the callee (which stores 7 at 2, logs, creates a contract and then
        // reads key 666: the host throws), and would store 9 at 3 afterwards.
        byte[] callee = Code.New.SStore(new UInt256(2), new UInt256(7)).Args(0, 0).Op(LOG0)
            .Args(0, 0, 0).Op(CREATE, POP).Push(666).Op(SLOAD).ReturnTop().Build();
        byte[] caller = Code.New.SStore(UInt256.One, new UInt256(42)).Args(0, 0).Op(LOG0)
            .Call(CALL, 500_000, s_callee, 0, 0, 0, 0, 0).Op(POP).SStore(new UInt256(3), new UInt256(9)).Op(STOP).Build();
        var engine = Engines.Create(kind);
        var run = new WorldStateCall(new FaultyHostEngine(engine), caller, others: [(s_callee, callee)]);
        var rootBefore = run.State.ComputeStateRoot();
        ulong nonceBefore = run.State.GetNonce(s_callee);

        Assert.Throws<HostFault>(() => run.ViaHost(1_000_000));

        Assert.Equal(UInt256.Zero, run.State.GetStorage(WorldStateCall.Contract, UInt256.One));
        Assert.Equal(UInt256.Zero, run.State.GetStorage(s_callee, new UInt256(2)));
        Assert.Equal(nonceBefore, run.State.GetNonce(s_callee));
        Assert.Equal(Jevm.State.WorldState.ComputeLogsHash([]), run.State.ComputeLogsHash());
        Assert.Equal(rootBefore, run.State.ComputeStateRoot());

        // The engine is still usable, on this thread and another, and gives the right result.
        byte[] ok = Code.New.Push(0).Op(CALLDATALOAD).Push(1).Op(ADD).ReturnTop().Build();
        for (int i = 0; i < 3; i++)
            Assert.Equal(new UInt256(42), new WorldStateCall(engine, ok).ViaHost(100_000, Input(41)).Word());
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void A_host_callback_exception_in_a_deep_frame_on_a_small_thread_reaches_the_caller(EngineKind kind)
    {
        // A 1024-deep call chain whose deepest frame reads key 666: the exception crosses the large-stack thread the
        // deep frames continue on and reaches the caller's thread with its own type.
        byte[] code = Code.New.Push(32).Push(0).Push(0).Push(0).Push(0).Op(ADDRESS, GAS, CALL)
            .Op(ISZERO).Push(18).Op(JUMPI).Op(STOP)
            .Op(JUMPDEST).Push(666).Op(SLOAD).Op(STOP).Build();
        Assert.Equal(JUMPDEST, code[18]);
        var run = new WorldStateCall(new FaultyHostEngine(Engines.Create(kind)), code);
        Assert.Throws<HostFault>(() => WorldStateCall.OnThread(() => run.ViaHost(DeepRecursionTests.CallGas)));
    }
}
