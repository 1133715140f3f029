using BenchmarkDotNet.Attributes;
using Jevm.Codegen;
using Jevm.Crypto;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.State;

namespace Jevm.Perf;

/// <summary>
/// Interpreter vs JIT on the compute-heavy cases of /work/shared/bench (code + calldata, a top-level call on a fresh
/// state per execution, as the bench README prescribes). The compile cost is paid in the global setup.
/// Run: dotnet run -c Release --project perf/Jevm.Perf -- --filter '*JitBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class JitBenchmarks
{
    private static readonly Address s_codeAddress = Address.Parse("0xbe7c43a580000000000000000000000000000001");
    private static readonly Address s_caller = Address.Parse("0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b");

    /// <summary>The bench folder (override with JEVM_BENCH).</summary>
    private static string BenchDir => Environment.GetEnvironmentVariable("JEVM_BENCH") ?? "/work/shared/bench";

    [Params("main/sha1_divs/5311", "main/sha1_shifts/5311", "main/blake2b_huff/8415nulls", "main/weierstrudel/15",
        "main/snailtracer/benchmark", "evm-bench/ten_thousand_hashes/benchmark")]
    public string Case { get; set; } = "";

    [Params(EngineKind.Interpreter, EngineKind.Jit)]
    public EngineKind Engine { get; set; }

    private byte[] _code = [];
    private byte[] _calldata = [];
    private Hash256 _hash;
    private IExecutionEngine _engine = null!;

    [GlobalSetup]
    public void Setup()
    {
        var parts = Case.Split('/');
        _code = Hex.Decode(File.ReadAllText(Path.Combine(BenchDir, "code", parts[1] + ".hex")).Trim());
        _calldata = Hex.Decode(File.ReadAllText(Path.Combine(BenchDir, "calldata", $"{parts[1]}.{parts[2]}.hex")).Trim());
        _hash = Keccak256.Compute(_code);
        _engine = Engines.Create(Engine);
        Execute(); // compiles (jit) and warms up
    }

    [Benchmark]
    public long Execute()
    {
        var state = new WorldState();
        state.SetAccount(s_codeAddress, 1, UInt256.Zero, _code);
        state.SetAccount(s_caller, 0, new UInt256(1_000_000_000_000_000_000), []);
        state.BeginTransaction();
        state.WarmAccount(s_codeAddress);
        state.WarmAccount(s_caller);
        var host = new StateHost(state, Fork.Cancun, _engine, new TxContext { Origin = s_caller, BlockNumber = 1, Timestamp = 1, BlockGasLimit = 1_000_000_000 });
        var message = new Message { Kind = CallKind.Call, Gas = 1_000_000_000, Recipient = s_codeAddress, CodeAddress = s_codeAddress, Sender = s_caller, Input = _calldata };
        return _engine.Execute(host, Fork.Cancun, message, _code, _hash).GasLeft;
    }
}
