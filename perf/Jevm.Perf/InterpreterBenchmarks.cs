using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Jevm.Codegen;
using Jevm.Crypto;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.State;

namespace Jevm.Perf;

/// <summary>
/// The shared benchmark contracts (../shared/bench) on the interpreter, each run as the manifest says: a top-level call
/// to the code account with empty storage and a fresh state per execution, Cancun rules.
/// Run: <c>dotnet run -c Release --project perf/Jevm.Perf -- --filter '*InterpreterBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
public class InterpreterBenchmarks
{
    private static readonly Address s_code = Address.Parse("0xbe7c43a580000000000000000000000000000001");
    private static readonly Address s_caller = Address.Parse("0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b");
    private const long GasLimit = 1_000_000_000;

    private IExecutionEngine _engine = null!;
    private byte[] _code = [];
    private byte[] _input = [];
    private Hash256 _codeHash;
    private long _expectedGas;
    private TxContext _context = null!;

    [Params("main/snailtracer/benchmark", "evm-bench/erc20_transfer/benchmark", "evm-bench/ten_thousand_hashes/benchmark",
        "main/blake2b_huff/8415nulls", "main/sha1_divs/5311", "main/weierstrudel/15", "main/swap_math/spent",
        "micro/jump_around/empty", "micro/memory_grow_mstore/by32", "micro/signextend/one")]
    public string Case { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        string root = FindBench() ?? throw new InvalidOperationException("../shared/bench not found (set JEVM_BENCH)");
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "manifest.json")));
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            if (c.GetProperty("name").GetString() != Case) continue;
            _code = Convert.FromHexString(File.ReadAllText(Path.Combine(root, c.GetProperty("code").GetString()!)).Trim());
            _input = Convert.FromHexString(File.ReadAllText(Path.Combine(root, c.GetProperty("calldata").GetString()!)).Trim());
            _expectedGas = c.GetProperty("gas").GetProperty("cancun").GetProperty("executionGas").GetInt64();
        }
        if (_code.Length == 0) throw new InvalidOperationException($"no bench case '{Case}'");
        _codeHash = Keccak256.Compute(_code);
        _engine = Engines.Create(EngineKind.Interpreter);
        _context = new TxContext { Origin = s_caller, BlockNumber = 1, BlockGasLimit = GasLimit };
        long used = GasLimit - Execute().GasLeft;
        if (used != _expectedGas) throw new InvalidOperationException($"{Case}: used {used} gas, the manifest agrees on {_expectedGas}");
    }

    [Benchmark]
    public ExecutionResult Execute()
    {
        var state = new WorldState();
        state.SetAccount(s_code, 1, UInt256.Zero, _code);
        state.BeginTransaction();
        state.WarmAccount(s_caller);
        state.WarmAccount(s_code);
        var host = new StateHost(state, Fork.Cancun, _engine, _context);
        var msg = new Message { Kind = CallKind.Call, Gas = GasLimit, Recipient = s_code, CodeAddress = s_code, Sender = s_caller, Input = _input };
        return _engine.Execute(host, Fork.Cancun, msg, _code, _codeHash);
    }

    private static string? FindBench()
    {
        var env = Environment.GetEnvironmentVariable("JEVM_BENCH");
        if (!string.IsNullOrEmpty(env)) return env;
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Jevm.sln"))) dir = dir.Parent;
        return dir?.Parent is null ? null : Path.Combine(dir.Parent.FullName, "shared", "bench");
    }
}
