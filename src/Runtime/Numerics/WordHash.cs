using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Jevm.Numerics;

/// <summary>
/// Hash codes of words and addresses, the keys of every state dictionary: a slot read hashes its key two or three
/// times, and <see cref="HashCode.Combine{T1,T2,T3,T4}(T1,T2,T3,T4)"/> cost about as much as the rest of the
/// lookup. Each pair of limbs, mixed with a secret drawn once per process, goes through a 64×64→128-bit multiply whose
/// halves are folded together (the "multiply and fold" of wyhash): a few cycles, and keys chosen to collide cannot be
/// computed offline, so a state built to degrade dictionaries is as hard to make as with <see cref="HashCode"/>.
/// </summary>
internal static class WordHash
{
    private static readonly ulong s_k0 = Secret(), s_k1 = Secret(), s_k2 = Secret(), s_k3 = Secret();

    private static ulong Secret()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        // Odd, so that a zero limb still multiplies by something non-zero.
        return BitConverter.ToUInt64(bytes) | 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Fold(ulong a, ulong b)
    {
        ulong hi = Math.BigMul(a, b, out ulong lo);
        return hi ^ lo;
    }

    /// <summary>The hash code of four limbs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Of(ulong a, ulong b, ulong c, ulong d)
    {
        ulong h = Fold(a ^ s_k0, b ^ s_k1) ^ Fold(c ^ s_k2, d ^ s_k3);
        return (int)h ^ (int)(h >> 32);
    }

    /// <summary>The hash code of three limbs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Of(ulong a, ulong b, ulong c)
    {
        ulong h = Fold(a ^ s_k0, b ^ s_k1) ^ Fold(c ^ s_k2, s_k3);
        return (int)h ^ (int)(h >> 32);
    }
}
