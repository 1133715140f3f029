extern alias jevmcli;

using BenchmarkDotNet.Attributes;
using jevmcli::Jevm.Cli.Bench;
using jevmcli::Jevm.Cli.Bench.Programs;
using Jevm.Codegen;
using Jevm.Evm;
using Jevm.State;

namespace Jevm.Perf;

/// <summary>
/// Steady-state allocation of the interpreter per execution, with the fresh state made outside the measured method
/// (<see cref="FreshStateOnly"/> shows what that costs by itself). The "Allocated" column is bytes per execution: it
/// should not grow with the number of instructions executed (compare the small and large arithmetic loops).
/// Run: <c>dotnet run -c Release --project perf/Jevm.Perf -- --filter '*InterpreterAllocation*'</c>
/// </summary>
[MemoryDiagnoser]
public class InterpreterAllocationBenchmarks
{
    private readonly IExecutionEngine _interpreter = Engines.Create(EngineKind.Interpreter);
    private BenchExecutor _executor = null!;
    private WorldState _state = null!;

    [Params("arithmetic-1k", "arithmetic-10k", "keccak", "memory", "storage", "token", "recursion")]
    public string Program { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var c = Program switch
        {
            "arithmetic-1k" => EmbeddedPrograms.Arithmetic(1_000),
            "arithmetic-10k" => EmbeddedPrograms.Arithmetic(10_000),
            "keccak" => EmbeddedPrograms.KeccakChain(200),
            "memory" => EmbeddedPrograms.MemoryCopy(4),
            "storage" => EmbeddedPrograms.StorageSlots(200),
            "token" => EmbeddedPrograms.TokenTransfers(200),
            _ => EmbeddedPrograms.Recursion(32, 4),
        };
        _executor = new BenchExecutor(c, Fork.Cancun);
        for (int i = 0; i < 10; i++) _executor.Execute(_interpreter);
    }

    // A fresh state per invocation, made before the measured call.
    [IterationSetup(Target = nameof(Execute))]
    public void NewState() => _state = _executor.FreshState();

    [Benchmark]
    public long Execute() => _executor.Execute(_interpreter, _state).GasUsed;

    [Benchmark]
    public WorldState FreshStateOnly() => _executor.FreshState();
}
