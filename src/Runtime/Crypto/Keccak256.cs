using Jevm.Primitives;
using Org.BouncyCastle.Crypto.Digests;

namespace Jevm.Crypto;

/// <summary>Keccak-256 (the pre-standard SHA-3 padding Ethereum uses).</summary>
public static class Keccak256
{
    /// <summary>keccak256 of the empty input.</summary>
    public static readonly Hash256 OfEmpty = Compute([]);

    /// <summary>keccak256(rlp([])) — the empty list, e.g. the hash of no logs or no uncles.</summary>
    public static readonly Hash256 OfEmptyList = Compute([0xc0]);

    /// <summary>Hashes <paramref name="data"/> into <paramref name="destination32"/>.</summary>
    /// <remarks>
    /// Uses our own sponge (<see cref="KeccakSponge"/>; AVX-512 where the CPU has it), measured at 0.45–0.6× of
    /// BouncyCastle's time from 32 bytes to 64 KiB (docs/numerics.md).
    /// </remarks>
    public static void Compute(ReadOnlySpan<byte> data, Span<byte> destination32) => KeccakSponge.Hash(data, destination32);

    /// <summary>Hashes <paramref name="data"/>.</summary>
    public static Hash256 Compute(ReadOnlySpan<byte> data)
    {
        // A Hash256 is the digest read big-endian, which the sponge produces directly.
        KeccakSponge.HashToWord(data, out var word);
        return new Hash256(word);
    }

    /// <summary>The second implementation, BouncyCastle's <c>KeccakDigest</c>: a cross-check for tests and benchmarks.</summary>
    internal static void ComputeWithBouncyCastle(ReadOnlySpan<byte> data, Span<byte> destination32)
    {
        var d = new KeccakDigest(256);
        d.BlockUpdate(data);
        d.DoFinal(destination32);
    }
}
