namespace Jevm.Tests.Precompiles;

/// <summary>
/// BLAKE2b's compression function F exactly as RFC 7693 §3.1–3.2 writes it (arrays, a sigma table lookup per round,
/// G on indices), with EIP-152's caller-chosen round count: the reference the optimised precompile is checked
/// against, and the baseline of its benchmark.
/// </summary>
internal static class Blake2bReference
{
    private static readonly ulong[] s_iv =
    [
        0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
        0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
    ];

    // RFC 7693 §2.7.
    private static readonly int[,] s_sigma =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
        { 14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3 },
        { 11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4 },
        { 7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8 },
        { 9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13 },
        { 2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9 },
        { 12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11 },
        { 13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10 },
        { 6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5 },
        { 10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0 },
    };

    private static ulong RotR(ulong x, int n) => (x >> n) | (x << (64 - n));

    // RFC 7693 §3.1, rotation constants R1..R4 = 32, 24, 16, 63.
    private static void G(ulong[] v, int a, int b, int c, int d, ulong x, ulong y)
    {
        v[a] = v[a] + v[b] + x;
        v[d] = RotR(v[d] ^ v[a], 32);
        v[c] = v[c] + v[d];
        v[b] = RotR(v[b] ^ v[c], 24);
        v[a] = v[a] + v[b] + y;
        v[d] = RotR(v[d] ^ v[a], 16);
        v[c] = v[c] + v[d];
        v[b] = RotR(v[b] ^ v[c], 63);
    }

    /// <summary>RFC 7693 §3.2 F with <paramref name="rounds"/> rounds instead of 12; returns the new h.</summary>
    public static ulong[] Compress(uint rounds, ulong[] h, ulong[] m, ulong t0, ulong t1, bool final)
    {
        var v = new ulong[16];
        for (int i = 0; i < 8; i++)
        {
            v[i] = h[i];
            v[i + 8] = s_iv[i];
        }
        v[12] ^= t0;
        v[13] ^= t1;
        if (final) v[14] = ~v[14];
        for (uint i = 0; i < rounds; i++)
        {
            int r = (int)(i % 10);
            G(v, 0, 4, 8, 12, m[s_sigma[r, 0]], m[s_sigma[r, 1]]);
            G(v, 1, 5, 9, 13, m[s_sigma[r, 2]], m[s_sigma[r, 3]]);
            G(v, 2, 6, 10, 14, m[s_sigma[r, 4]], m[s_sigma[r, 5]]);
            G(v, 3, 7, 11, 15, m[s_sigma[r, 6]], m[s_sigma[r, 7]]);
            G(v, 0, 5, 10, 15, m[s_sigma[r, 8]], m[s_sigma[r, 9]]);
            G(v, 1, 6, 11, 12, m[s_sigma[r, 10]], m[s_sigma[r, 11]]);
            G(v, 2, 7, 8, 13, m[s_sigma[r, 12]], m[s_sigma[r, 13]]);
            G(v, 3, 4, 9, 14, m[s_sigma[r, 14]], m[s_sigma[r, 15]]);
        }
        var result = new ulong[8];
        for (int i = 0; i < 8; i++) result[i] = h[i] ^ v[i] ^ v[i + 8];
        return result;
    }
}
