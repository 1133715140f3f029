using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Jevm.Crypto;

internal static partial class KeccakSponge
{
    /// <summary>
    /// The four digest lanes of Keccak-256 of <paramref name="data"/>, each lane in the low half of its own
    /// <see cref="Vector128{T}"/> local: with AVX-512's 32 vector registers the 25 lanes and the θ temporaries stay in
    /// registers, <c>vpternlogq</c> does χ and the five-way parity in one instruction each and <c>vprolq</c> rotates.
    /// Requires <see cref="Avx512F.VL"/>.
    /// </summary>
    /// <remarks>Lane (x, y) is local <c>a{y}{x}</c> (and <c>e{y}{x}</c> after an odd round).</remarks>
    internal static void DigestAvx512(ReadOnlySpan<byte> data, out ulong h0, out ulong h1, out ulong h2, out ulong h3)
    {
        ref byte p = ref MemoryMarshal.GetReference(data);
        nuint left = (nuint)data.Length;
        ref ulong rc = ref MemoryMarshal.GetReference(RoundConstants);
        Vector128<ulong> a00 = Vector128<ulong>.Zero, a01 = Vector128<ulong>.Zero, a02 = Vector128<ulong>.Zero, a03 = Vector128<ulong>.Zero, a04 = Vector128<ulong>.Zero;
        Vector128<ulong> a10 = Vector128<ulong>.Zero, a11 = Vector128<ulong>.Zero, a12 = Vector128<ulong>.Zero, a13 = Vector128<ulong>.Zero, a14 = Vector128<ulong>.Zero;
        Vector128<ulong> a20 = Vector128<ulong>.Zero, a21 = Vector128<ulong>.Zero, a22 = Vector128<ulong>.Zero, a23 = Vector128<ulong>.Zero, a24 = Vector128<ulong>.Zero;
        Vector128<ulong> a30 = Vector128<ulong>.Zero, a31 = Vector128<ulong>.Zero, a32 = Vector128<ulong>.Zero, a33 = Vector128<ulong>.Zero, a34 = Vector128<ulong>.Zero;
        Vector128<ulong> a40 = Vector128<ulong>.Zero, a41 = Vector128<ulong>.Zero, a42 = Vector128<ulong>.Zero, a43 = Vector128<ulong>.Zero, a44 = Vector128<ulong>.Zero;
        Vector128<ulong> e00, e01, e02, e03, e04, e10, e11, e12, e13, e14, e20, e21, e22, e23, e24;
        Vector128<ulong> e30, e31, e32, e33, e34, e40, e41, e42, e43, e44;
        Vector128<ulong> c0, c1, c2, c3, c4, d0, d1, d2, d3, d4, b0, b1, b2, b3, b4;
        while (true)
        {
            bool last = left < RateBytes;
            if (!last)
            {
                a00 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 0));
                a01 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 1));
                a02 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 2));
                a03 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 3));
                a04 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 4));
                a10 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 5));
                a11 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 6));
                a12 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 7));
                a13 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 8));
                a14 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 9));
                a20 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 10));
                a21 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 11));
                a22 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 12));
                a23 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 13));
                a24 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 14));
                a30 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 15));
                a31 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 16));
                p = ref Unsafe.Add(ref p, RateBytes);
                left -= RateBytes;
            }
            else
            {
                // The last 0..135 bytes. One and two words (KECCAK256 of a mapping key and slot) have their own
                // straight-line paths: no jump table, whose indirect branches the interpreter's dispatch would
                // make mispredict.
                if (left == 32)
                {
                    a00 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 0));
                    a01 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 1));
                    a02 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 2));
                    a03 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 3));
                    a04 ^= Vector128.CreateScalarUnsafe(1UL);
                }
                else if (left == 64)
                {
                    a00 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 0));
                    a01 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 1));
                    a02 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 2));
                    a03 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 3));
                    a04 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 4));
                    a10 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 5));
                    a11 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 6));
                    a12 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 7));
                    a13 ^= Vector128.CreateScalarUnsafe(1UL);
                }
                else
                {
                    // Whole lanes straight from the input (falling through from the highest), then the lane holding
                    // the tail bytes and the first padding bit.
                    int full = (int)(left >> 3);
                    switch (full)
                    {
                        case 16: a30 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 15)); goto case 15;
                        case 15: a24 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 14)); goto case 14;
                        case 14: a23 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 13)); goto case 13;
                        case 13: a22 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 12)); goto case 12;
                        case 12: a21 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 11)); goto case 11;
                        case 11: a20 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 10)); goto case 10;
                        case 10: a14 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 9)); goto case 9;
                        case 9: a13 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 8)); goto case 8;
                        case 8: a12 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 7)); goto case 7;
                        case 7: a11 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 6)); goto case 6;
                        case 6: a10 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 5)); goto case 5;
                        case 5: a04 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 4)); goto case 4;
                        case 4: a03 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 3)); goto case 3;
                        case 3: a02 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 2)); goto case 2;
                        case 2: a01 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 1)); goto case 1;
                        case 1: a00 ^= Vector128.CreateScalarUnsafe(Lane(ref p, 0)); break;
                    }
                    Vector128<ulong> tail = Vector128.CreateScalarUnsafe(TailLane(ref Unsafe.Add(ref p, full * 8), (int)left & 7));
                    switch (full)
                    {
                        case 0: a00 ^= tail; break;
                        case 1: a01 ^= tail; break;
                        case 2: a02 ^= tail; break;
                        case 3: a03 ^= tail; break;
                        case 4: a04 ^= tail; break;
                        case 5: a10 ^= tail; break;
                        case 6: a11 ^= tail; break;
                        case 7: a12 ^= tail; break;
                        case 8: a13 ^= tail; break;
                        case 9: a14 ^= tail; break;
                        case 10: a20 ^= tail; break;
                        case 11: a21 ^= tail; break;
                        case 12: a22 ^= tail; break;
                        case 13: a23 ^= tail; break;
                        case 14: a24 ^= tail; break;
                        case 15: a30 ^= tail; break;
                        case 16: a31 ^= tail; break;
                    }
                }
                // The padding's final 0x80 in the last byte of the block
                a31 ^= Vector128.CreateScalarUnsafe(0x80UL << 56);
            }
            // Keccak-f[1600], rounds `round` (a -> e) and `round + 1` (e -> a) per iteration; the last block leaves
            // after round 22 for Squeeze, which does only the digest part of round 23.
            for (int round = 0; ; round += 2)
            {
                // θ: column parities C[x], then D[x] = C[x-1] ^ rot(C[x+1], 1), XORed into each lane as it is read
                c0 = Xor5(a00, a10, a20, a30, a40);
                c1 = Xor5(a01, a11, a21, a31, a41);
                c2 = Xor5(a02, a12, a22, a32, a42);
                c3 = Xor5(a03, a13, a23, a33, a43);
                c4 = Xor5(a04, a14, a24, a34, a44);
                d0 = c4 ^ Rol(c1, 1);
                d1 = c0 ^ Rol(c2, 1);
                d2 = c1 ^ Rol(c3, 1);
                d3 = c2 ^ Rol(c4, 1);
                d4 = c3 ^ Rol(c0, 1);
                // ρ and π gather one output row into b0..b4, χ combines it (ι on lane 0)
                b0 = a00 ^ d0;
                b1 = Rol(a11 ^ d1, 44);
                b2 = Rol(a22 ^ d2, 43);
                b3 = Rol(a33 ^ d3, 21);
                b4 = Rol(a44 ^ d4, 14);
                e00 = Chi(b0, b1, b2) ^ Vector128.CreateScalarUnsafe(Unsafe.Add(ref rc, round));
                e01 = Chi(b1, b2, b3);
                e02 = Chi(b2, b3, b4);
                e03 = Chi(b3, b4, b0);
                e04 = Chi(b4, b0, b1);
                b0 = Rol(a03 ^ d3, 28);
                b1 = Rol(a14 ^ d4, 20);
                b2 = Rol(a20 ^ d0, 3);
                b3 = Rol(a31 ^ d1, 45);
                b4 = Rol(a42 ^ d2, 61);
                e10 = Chi(b0, b1, b2);
                e11 = Chi(b1, b2, b3);
                e12 = Chi(b2, b3, b4);
                e13 = Chi(b3, b4, b0);
                e14 = Chi(b4, b0, b1);
                b0 = Rol(a01 ^ d1, 1);
                b1 = Rol(a12 ^ d2, 6);
                b2 = Rol(a23 ^ d3, 25);
                b3 = Rol(a34 ^ d4, 8);
                b4 = Rol(a40 ^ d0, 18);
                e20 = Chi(b0, b1, b2);
                e21 = Chi(b1, b2, b3);
                e22 = Chi(b2, b3, b4);
                e23 = Chi(b3, b4, b0);
                e24 = Chi(b4, b0, b1);
                b0 = Rol(a04 ^ d4, 27);
                b1 = Rol(a10 ^ d0, 36);
                b2 = Rol(a21 ^ d1, 10);
                b3 = Rol(a32 ^ d2, 15);
                b4 = Rol(a43 ^ d3, 56);
                e30 = Chi(b0, b1, b2);
                e31 = Chi(b1, b2, b3);
                e32 = Chi(b2, b3, b4);
                e33 = Chi(b3, b4, b0);
                e34 = Chi(b4, b0, b1);
                b0 = Rol(a02 ^ d2, 62);
                b1 = Rol(a13 ^ d3, 55);
                b2 = Rol(a24 ^ d4, 39);
                b3 = Rol(a30 ^ d0, 41);
                b4 = Rol(a41 ^ d1, 2);
                e40 = Chi(b0, b1, b2);
                e41 = Chi(b1, b2, b3);
                e42 = Chi(b2, b3, b4);
                e43 = Chi(b3, b4, b0);
                e44 = Chi(b4, b0, b1);
                // The last round of the last block only needs the digest lanes
                if (round == 22 && last) goto Squeeze;
                // θ: column parities C[x], then D[x] = C[x-1] ^ rot(C[x+1], 1), XORed into each lane as it is read
                c0 = Xor5(e00, e10, e20, e30, e40);
                c1 = Xor5(e01, e11, e21, e31, e41);
                c2 = Xor5(e02, e12, e22, e32, e42);
                c3 = Xor5(e03, e13, e23, e33, e43);
                c4 = Xor5(e04, e14, e24, e34, e44);
                d0 = c4 ^ Rol(c1, 1);
                d1 = c0 ^ Rol(c2, 1);
                d2 = c1 ^ Rol(c3, 1);
                d3 = c2 ^ Rol(c4, 1);
                d4 = c3 ^ Rol(c0, 1);
                // ρ and π gather one output row into b0..b4, χ combines it (ι on lane 0)
                b0 = e00 ^ d0;
                b1 = Rol(e11 ^ d1, 44);
                b2 = Rol(e22 ^ d2, 43);
                b3 = Rol(e33 ^ d3, 21);
                b4 = Rol(e44 ^ d4, 14);
                a00 = Chi(b0, b1, b2) ^ Vector128.CreateScalarUnsafe(Unsafe.Add(ref rc, round + 1));
                a01 = Chi(b1, b2, b3);
                a02 = Chi(b2, b3, b4);
                a03 = Chi(b3, b4, b0);
                a04 = Chi(b4, b0, b1);
                b0 = Rol(e03 ^ d3, 28);
                b1 = Rol(e14 ^ d4, 20);
                b2 = Rol(e20 ^ d0, 3);
                b3 = Rol(e31 ^ d1, 45);
                b4 = Rol(e42 ^ d2, 61);
                a10 = Chi(b0, b1, b2);
                a11 = Chi(b1, b2, b3);
                a12 = Chi(b2, b3, b4);
                a13 = Chi(b3, b4, b0);
                a14 = Chi(b4, b0, b1);
                b0 = Rol(e01 ^ d1, 1);
                b1 = Rol(e12 ^ d2, 6);
                b2 = Rol(e23 ^ d3, 25);
                b3 = Rol(e34 ^ d4, 8);
                b4 = Rol(e40 ^ d0, 18);
                a20 = Chi(b0, b1, b2);
                a21 = Chi(b1, b2, b3);
                a22 = Chi(b2, b3, b4);
                a23 = Chi(b3, b4, b0);
                a24 = Chi(b4, b0, b1);
                b0 = Rol(e04 ^ d4, 27);
                b1 = Rol(e10 ^ d0, 36);
                b2 = Rol(e21 ^ d1, 10);
                b3 = Rol(e32 ^ d2, 15);
                b4 = Rol(e43 ^ d3, 56);
                a30 = Chi(b0, b1, b2);
                a31 = Chi(b1, b2, b3);
                a32 = Chi(b2, b3, b4);
                a33 = Chi(b3, b4, b0);
                a34 = Chi(b4, b0, b1);
                b0 = Rol(e02 ^ d2, 62);
                b1 = Rol(e13 ^ d3, 55);
                b2 = Rol(e24 ^ d4, 39);
                b3 = Rol(e30 ^ d0, 41);
                b4 = Rol(e41 ^ d1, 2);
                a40 = Chi(b0, b1, b2);
                a41 = Chi(b1, b2, b3);
                a42 = Chi(b2, b3, b4);
                a43 = Chi(b3, b4, b0);
                a44 = Chi(b4, b0, b1);
                if (round == 22) break;
            }
        }
    Squeeze:
        // θ: column parities C[x], then D[x] = C[x-1] ^ rot(C[x+1], 1), XORed into each lane as it is read
        c0 = Xor5(e00, e10, e20, e30, e40);
        c1 = Xor5(e01, e11, e21, e31, e41);
        c2 = Xor5(e02, e12, e22, e32, e42);
        c3 = Xor5(e03, e13, e23, e33, e43);
        c4 = Xor5(e04, e14, e24, e34, e44);
        d0 = c4 ^ Rol(c1, 1);
        d1 = c0 ^ Rol(c2, 1);
        d2 = c1 ^ Rol(c3, 1);
        d3 = c2 ^ Rol(c4, 1);
        d4 = c3 ^ Rol(c0, 1);
        // The last round of the last block: only output row 0's lanes 0..3, the digest, are needed
        b0 = e00 ^ d0;
        b1 = Rol(e11 ^ d1, 44);
        b2 = Rol(e22 ^ d2, 43);
        b3 = Rol(e33 ^ d3, 21);
        b4 = Rol(e44 ^ d4, 14);
        h0 = (Chi(b0, b1, b2) ^ Vector128.CreateScalarUnsafe(Unsafe.Add(ref rc, 23))).ToScalar();
        h1 = Chi(b1, b2, b3).ToScalar();
        h2 = Chi(b2, b3, b4).ToScalar();
        h3 = Chi(b3, b4, b0).ToScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Rol(Vector128<ulong> v, [ConstantExpected] byte n) => Avx512F.VL.RotateLeft(v, n);

    // a ^ (~b & c): truth table 0xF0 ^ (~0xCC & 0xAA).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Chi(Vector128<ulong> a, Vector128<ulong> b, Vector128<ulong> c) => Avx512F.VL.TernaryLogic(a, b, c, 0xD2);

    // Two three-way XORs (truth table 0xF0 ^ 0xCC ^ 0xAA).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Xor5(Vector128<ulong> a, Vector128<ulong> b, Vector128<ulong> c, Vector128<ulong> d, Vector128<ulong> e)
        => Avx512F.VL.TernaryLogic(Avx512F.VL.TernaryLogic(a, b, c, 0x96), d, e, 0x96);
}
