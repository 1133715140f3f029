using Jevm.Cli.Bench;
using Jevm.Cli.Bench.Programs;
using Jevm.Evm;

namespace Jevm.Tests.Bench;

/// <summary>
/// The interpreter's steady-state allocation per execution must not grow with the number of instructions: running a
/// compute, keccak or memory loop 10–50× longer allocates the same bytes (frame, stack and memory buffers only).
/// </summary>
public class InterpreterAllocationTests
{
    private static long BytesPerExecution(BenchCase c, IExecutionEngine engine)
    {
        var ex = new BenchExecutor(c, Fork.Cancun);
        for (int i = 0; i < 5; i++) Assert.Equal(StatusCode.Success, ex.Execute(engine).Status); // warm up
        long best = long.MaxValue;
        for (int i = 0; i < 5; i++)
        {
            var state = ex.FreshState();
            long before = GC.GetAllocatedBytesForCurrentThread();
            ex.Execute(engine, state);
            best = Math.Min(best, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return best;
    }

    public static TheoryData<string> Loops() => ["arithmetic", "keccak", "memory"];

    [Theory]
    [MemberData(nameof(Loops))]
    public void Allocation_does_not_grow_with_iterations(string loop)
    {
        var engine = BenchTestSupport.Engine("Interpreter");
        (BenchCase small, BenchCase big) = loop switch
        {
            "arithmetic" => (EmbeddedPrograms.Arithmetic(100), EmbeddedPrograms.Arithmetic(5_000)),
            "keccak" => (EmbeddedPrograms.KeccakChain(130), EmbeddedPrograms.KeccakChain(1_300)),
            _ => (EmbeddedPrograms.MemoryCopy(1), EmbeddedPrograms.MemoryCopy(20)),
        };
        long a = BytesPerExecution(small, engine), b = BytesPerExecution(big, engine);
        Assert.True(b - a < 1024, $"{loop}: {a} bytes per execution for the short run, {b} for the long one");
        Assert.True(b < 512 * 1024, $"{loop}: {b} bytes per execution");
    }
}
