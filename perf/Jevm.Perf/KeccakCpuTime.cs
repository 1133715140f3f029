using System.Runtime.InteropServices;
using Jevm.Crypto;
using Jevm.Numerics;

namespace Jevm.Perf;

/// <summary>
/// Keccak-256 timed by the thread's CPU time (<c>CLOCK_THREAD_CPUTIME_ID</c>) instead of wall-clock time, so that other
/// processes on a loaded shared machine inflate the figures much less than they inflate BenchmarkDotNet's; best of
/// several rounds per size. Linux only. Run: <c>dotnet run -c Release --project perf/Jevm.Perf -- --keccak-cputime</c>.
/// </summary>
internal static partial class KeccakCpuTime
{
    private static readonly int[] Sizes = [32, 64, 136, 200, 1024, 65536];

    public static void Run()
    {
        Console.WriteLine("| input | BouncyCastle | Keccak256.Compute | KeccakSponge.HashToWord | ratio Compute/BC | ratio HashToWord/BC |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
        byte[] hash = new byte[32];
        foreach (int size in Sizes)
        {
            byte[] data = new byte[size];
            new Random(42).NextBytes(data);
            int n = Math.Max(20, 4_000_000 / (size + 64));
            double bc = Best(n, () => { for (int i = 0; i < n; i++) Keccak256.ComputeWithBouncyCastle(data, hash); });
            double ours = Best(n, () => { for (int i = 0; i < n; i++) Keccak256.Compute(data, hash); });
            ulong sink = 0;
            double word = Best(n, () =>
            {
                for (int i = 0; i < n; i++)
                {
                    KeccakSponge.HashToWord(data, out UInt256 w);
                    sink += w.U0;
                }
            });
            GC.KeepAlive(sink);
            Console.WriteLine($"| {size} B | {Format(bc)} | {Format(ours)} | {Format(word)} | {ours / bc:0.00} | {word / bc:0.00} |");
        }
    }

    // Nanoseconds per operation: the best of seven rounds after two warm-up rounds (which let tiering reach tier 1).
    private static double Best(int n, Action loop)
    {
        for (int i = 0; i < 2; i++) loop();
        Thread.Sleep(200);
        double best = double.MaxValue;
        for (int r = 0; r < 7; r++)
        {
            long t0 = ThreadCpuNanoseconds();
            loop();
            best = Math.Min(best, (ThreadCpuNanoseconds() - t0) / (double)n);
        }
        return best;
    }

    private static string Format(double ns) => ns >= 10_000 ? $"{ns / 1000:0.0} µs" : $"{ns:0} ns";

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private const int ClockThreadCpuTimeId = 3;

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    private static long ThreadCpuNanoseconds()
    {
        if (ClockGetTime(ClockThreadCpuTimeId, out var t) != 0) throw new InvalidOperationException("clock_gettime failed");
        return t.Seconds * 1_000_000_000 + t.Nanoseconds;
    }
}
