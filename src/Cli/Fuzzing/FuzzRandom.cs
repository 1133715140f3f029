namespace Jevm.Cli.Fuzzing;

/// <summary>
/// SplitMix64: a small, fast, seedable generator whose sequence is fixed by this code alone (not by the runtime's
/// <see cref="Random"/>), so a case is reproducible from (seed, index) on any machine and .NET version.
/// </summary>
internal sealed class FuzzRandom
{
    private ulong _state;

    public FuzzRandom(ulong seed) => _state = seed;

    /// <summary>The generator of case <paramref name="index"/> of campaign <paramref name="seed"/>.</summary>
    public static FuzzRandom ForCase(ulong seed, long index) => new(Mix(seed ^ Mix((ulong)index * 0x9E3779B97F4A7C15UL + 0x632BE59BD9B4E019UL)));

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64() => Mix(_state += 0x9E3779B97F4A7C15UL);

    /// <summary>Uniform in [0, n) for n ≥ 1 (the modulo bias is irrelevant at these sizes).</summary>
    public int Next(int n) => (int)(NextUInt64() % (ulong)n);

    /// <summary>Uniform in [min, max).</summary>
    public int Next(int min, int max) => min + Next(max - min);

    public bool Chance(int percent) => Next(100) < percent;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public void NextBytes(Span<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)NextUInt64();
    }
}
