namespace Jevm.Precompiles;

/// <summary>Shared helpers for precompile gas formulas.</summary>
internal static class PrecompileGas
{
    /// <summary>Number of 32-byte words needed to hold <paramref name="length"/> bytes (rounded up).</summary>
    public static long Words(int length) => ((long)length + 31) >> 5;

    /// <summary><c>baseCost + perWord·⌈length/32⌉</c>, the linear formula of precompiles 0x02–0x04.</summary>
    public static long Linear(int length, long baseCost, long perWord) => baseCost + perWord * Words(length);
}
