using System.Runtime.InteropServices;
using Jevm.Crypto;
using Jevm.Numerics;

namespace Jevm.Perf;

/// <summary>
/// Keccak-256 timed by the thread's CPU time (<c>CLOCK_THREAD_CPUTIME_ID</c>) instead of wall-clock time, so that other
/// processes on a loaded shared machine inflate the figures much less than they inflate BenchmarkDotNet's. The
/// variants are timed in interleaved rounds (so a burst of load hits all of them) and each keeps its best round.
/// Linux only. Run: <c>dotnet run -c Release --project perf/Jevm.Perf -- --keccak-cputime</c>.
/// </summary>
internal static partial class KeccakCpuTime
{
    private static readonly int[] Sizes = [32, 64, 136, 200, 1024, 65536];

    private const int Rounds = 15;

    public static void Run()
    {
        Console.WriteLine("| input | BouncyCastle | Keccak256.Compute | KeccakSponge.HashToWord | DigestScalar (fallback) | Compute/BC | HashToWord/BC |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        byte[] hash = new byte[32];
        ulong sink = 0;
        foreach (int size in Sizes)
        {
            byte[] data = new byte[size];
            new Random(42).NextBytes(data);
            int n = Math.Max(10, 1_000_000 / (size + 64));
            Action[] loops =
            [
                () => { for (int i = 0; i < n; i++) Keccak256.ComputeWithBouncyCastle(data, hash); },
                () => { for (int i = 0; i < n; i++) Keccak256.Compute(data, hash); },
                () =>
                {
                    for (int i = 0; i < n; i++)
                    {
                        KeccakSponge.HashToWord(data, out UInt256 w);
                        sink += w.U0;
                    }
                },
                () =>
                {
                    for (int i = 0; i < n; i++)
                    {
                        KeccakSponge.DigestScalar(data, out ulong h0, out _, out _, out _);
                        sink += h0;
                    }
                },
            ];
            double[] best = Best(n, loops);
            Console.WriteLine($"| {size} B | {Format(best[0])} | {Format(best[1])} | {Format(best[2])} | {Format(best[3])} | {best[1] / best[0]:0.00} | {best[2] / best[0]:0.00} |");
        }
        GC.KeepAlive(sink);
    }

    // Nanoseconds per operation of each loop: its best round, after warm-up rounds that let tiering reach tier 1.
    private static double[] Best(int n, Action[] loops)
    {
        for (int w = 0; w < 3; w++)
            foreach (var loop in loops) loop();
        Thread.Sleep(100);
        double[] best = new double[loops.Length];
        Array.Fill(best, double.MaxValue);
        for (int r = 0; r < Rounds; r++)
        {
            for (int k = 0; k < loops.Length; k++)
            {
                long t0 = ThreadCpuNanoseconds();
                loops[k]();
                best[k] = Math.Min(best[k], (ThreadCpuNanoseconds() - t0) / (double)n);
            }
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
