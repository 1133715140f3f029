using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.Tests.Support;
using static Jevm.Evm.OpcodeTable;

namespace Jevm.Tests.Interpreter;

/// <summary>
/// Issue #10: in steady state the interpreter allocates nothing per execution apart from the returned output. Measured
/// with the calling thread's allocation counter around whole executions on a host that allocates nothing itself, so
/// every byte counted is the engine's.
/// </summary>
public class AllocationTests
{
    private const byte DUP2 = DUP1 + 1, DUP3 = DUP1 + 2;

    private static readonly Address s_self = Address.Parse("0x00000000000000000000000000000000000a110c");

    // secp256k1's field prime: a four-limb MULMOD modulus.
    private static readonly UInt256 s_prime = UInt256.Parse("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");

    /// <summary>
    /// A loop of <paramref name="iterations"/> rounds over MLOAD/MSTORE, ADD, MUL, DIV, MOD, MULMOD, ADDMOD, EXP, shifts,
    /// KECCAK256, SSTORE/SLOAD and a memory-growing MSTORE; ends with STOP (no output).
    /// </summary>
    private static byte[] ComputeLoop(int iterations)
    {
        const int loop = 3; // after PUSH2 iterations
        byte[] Build(int end) => Code.New.PushN(2, new UInt256((ulong)iterations)).Op(JUMPDEST)
            .Op(DUP1, ISZERO).PushN(2, new UInt256((ulong)end)).Op(JUMPI)
            .Push(0).Op(MLOAD)                                         // c x
            .Op(DUP2, ADD)                                             // x += c
            .Push(0x9e3779b9).Op(MUL)                                  // x *= K
            .Push(s_prime).Op(DUP2, DUP3, MULMOD, ADD)                 // x += x·x mod P
            .Push(s_prime).Op(DUP2, DUP3, ADDMOD, ADD)                 // x += (x + x) mod P
            .Push(7).Op(DUP2, DIV, ADD)                                // x += x / 7
            .Push(1_000_003).Op(DUP2, MOD, ADD)                        // x += x mod 1000003
            .Push(3).Op(DUP2, EXP, ADD)                                // x += x^3
            .Op(DUP1).Push(3).Op(SHR, XOR)                             // x ^= x >> 3
            .Op(DUP1).Push(300).Op(SHL, OR)                            // x |= x << 300 (= 0)
            .Push(0).Op(MSTORE)                                        // c
            .Push(32).Push(0).Op(KECCAK256)                            // c h
            .Op(DUP1).Push(64).Op(MSTORE)
            .Push(5).Op(SSTORE)                                        // storage[5] = h
            .Push(5).Op(SLOAD, POP)
            .Op(DUP1, DUP1).Push(32).Op(MUL).Push(96).Op(ADD, MSTORE)  // memory[96 + 32c] = c (grows in round one)
            .Op(DUP1).Push(1).Op(SWAP1, SUB)                           // c c−1
            .Op(SWAP1, POP)
            .PushN(2, new UInt256(loop)).Op(JUMP)
            .Op(JUMPDEST, STOP);
        int endPc = Build(0).Length - 2;
        return Build(endPc);
    }

    /// <summary>
    /// Calldata word d: if d ≠ 0, CALL itself with d − 1 as a 32-byte argument and a 32-byte output area; then STOP.
    /// </summary>
    private static byte[] Recursion()
    {
        byte[] Build(int end) => Code.New.Push(0).Op(CALLDATALOAD)
            .Op(DUP1, ISZERO).PushN(2, new UInt256((ulong)end)).Op(JUMPI)
            .Push(1).Op(SWAP1, SUB).Push(0).Op(MSTORE)
            .Push(32).Push(32).Push(32).Push(0).Push(0).Op(ADDRESS, GAS, CALL, POP)
            .Op(JUMPDEST, STOP);
        int endPc = Build(0).Length - 2;
        return Build(endPc);
    }

    private static long AllocatedPerExecution(IExecutionEngine engine, byte[] code, byte[] input, out ExecutionResult last)
    {
        var host = new SelfCallingHost(engine, code, Fork.Cancun);
        var message = new Message { Kind = CallKind.Call, Gas = 100_000_000, Recipient = s_self, Sender = s_self, CodeAddress = s_self, Input = input };
        // Warm-up: frame pool, code analysis cache, the .NET JIT's tiers; a tiered engine's background compilation.
        for (int i = 0; i < 30; i++) host.Run(message);
        if (engine is Jevm.Codegen.JitEngine j)
        {
            for (int i = 0; i < 1000 && j.PendingCompilations > 0; i++) Thread.Sleep(5);
            Assert.Equal(0, j.PendingCompilations);
            for (int i = 0; i < 30; i++) host.Run(message);
        }
        // Best of five batches: tests running in parallel can empty the shared code-analysis cache (it starts over when
        // full), and the re-analysis that follows is a legitimate one-off allocation, not a per-execution one.
        const int runs = 4;
        long best = long.MaxValue;
        last = default;
        for (int batch = 0; batch < 5; batch++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < runs; i++) last = host.Run(message);
            best = Math.Min(best, (GC.GetAllocatedBytesForCurrentThread() - before) / runs);
        }
        return best;
    }

    // Tiered: compiled after its first call (the background compilation is waited for), so steady state is compiled code.
    private static IExecutionEngine Engine(EngineKind kind) => kind == EngineKind.Tiered
        ? new Jevm.Codegen.JitEngine(tiered: true, cache: new Jevm.Codegen.CompiledCodeCache(), tiering: new Jevm.Codegen.TieringPolicy { HotExecutions = 1 })
        : Jevm.Codegen.Engines.Create(kind);

    // The tiered engine's steady state is its compiled code: the code must have been compiled by then.
    private static void AssertCompiledWhenTiered(IExecutionEngine engine)
    {
        if (engine is Jevm.Codegen.JitEngine { Name: "tiered" } t) Assert.Equal(1, t.Cache.Count);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void A_compute_loop_allocates_nothing_per_execution(EngineKind kind)
    {
        var engine = Engine(kind);
        long bytes = AllocatedPerExecution(engine, ComputeLoop(200), [], out var r);
        AssertCompiledWhenTiered(engine);
        Assert.Equal(StatusCode.Success, r.Status);
        Assert.True(100_000_000 - r.GasLeft > 200 * 150, "all 200 rounds should have run");
        Assert.Empty(r.Output);
        Assert.Equal(0, bytes);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Nested_calls_allocate_nothing_per_execution(EngineKind kind)
    {
        // 20 nested CALLs with call data and a return area: frames, stacks, memory and call inputs all come from pools
        // or the caller's memory.
        var input = new byte[32];
        input[31] = 20;
        var engine = Engine(kind);
        long bytes = AllocatedPerExecution(engine, Recursion(), input, out var r);
        AssertCompiledWhenTiered(engine);
        Assert.Equal(StatusCode.Success, r.Status);
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void A_tiered_engine_still_interpreting_a_code_allocates_nothing_per_execution()
    {
        // Counting executions of a code not yet hot must not cost an allocation per call either.
        var engine = new Jevm.Codegen.JitEngine(tiered: true, cache: new Jevm.Codegen.CompiledCodeCache(), tiering: Jevm.Codegen.TieringPolicy.Never);
        var input = new byte[32];
        input[31] = 20;
        long bytes = AllocatedPerExecution(engine, Recursion(), input, out var r);
        Assert.Equal(StatusCode.Success, r.Status);
        Assert.Equal(0, engine.Cache.Count);
        Assert.Equal(0, bytes);
    }

    /// <summary>A host with one account whose code calls only itself; it allocates nothing per call.</summary>
    private sealed class SelfCallingHost(IExecutionEngine engine, byte[] code, Fork fork) : IEvmHost
    {
        private readonly Dictionary<UInt256, UInt256> _storage = new() { [new UInt256(5)] = UInt256.Zero };
        private readonly Hash256 _codeHash = Jevm.Crypto.Keccak256.Compute(code);

        public ExecutionResult Run(in Message message) => engine.Execute(this, fork, message, code, _codeHash);

        public TxContext Context { get; } = new();
        public bool AccountExists(in Address address) => true;
        public UInt256 GetBalance(in Address address) => UInt256.Zero;
        public int GetCodeSize(in Address address) => code.Length;
        public Hash256 GetCodeHash(in Address address) => _codeHash;
        public ReadOnlyMemory<byte> GetCode(in Address address) => code;
        public UInt256 GetStorage(in Address address, in UInt256 key) => _storage.GetValueOrDefault(key);
        public UInt256 GetOriginalStorage(in Address address, in UInt256 key) => UInt256.Zero;
        public void SetStorage(in Address address, in UInt256 key, in UInt256 value) => _storage[key] = value;
        public UInt256 GetTransientStorage(in Address address, in UInt256 key) => UInt256.Zero;
        public void SetTransientStorage(in Address address, in UInt256 key, in UInt256 value) { }
        public AccessStatus AccessAccount(in Address address) => AccessStatus.Warm;
        public AccessStatus AccessStorage(in Address address, in UInt256 key) => AccessStatus.Warm;
        public void EmitLog(in Address address, ReadOnlySpan<byte> data, ReadOnlySpan<UInt256> topics) { }
        public ExecutionResult Call(in Message message) => engine.Execute(this, fork, message, code, _codeHash);
        public bool SelfDestruct(in Address address, in Address beneficiary) => false;
        public Hash256 GetBlockHash(long number) => default;
    }
}
