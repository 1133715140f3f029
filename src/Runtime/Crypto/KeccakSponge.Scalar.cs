using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Jevm.Crypto;

internal static partial class KeccakSponge
{
    /// <summary>
    /// The four digest lanes of Keccak-256 of <paramref name="data"/>, on 25 <c>ulong</c> locals: the portable
    /// implementation (on x64 about 10 lanes live in registers and the rest spill).
    /// </summary>
    /// <remarks>Lane (x, y) is local <c>a{y}{x}</c> (and <c>e{y}{x}</c> after an odd round).</remarks>
    internal static void DigestScalar(ReadOnlySpan<byte> data, out ulong h0, out ulong h1, out ulong h2, out ulong h3)
    {
        ref byte p = ref MemoryMarshal.GetReference(data);
        nuint left = (nuint)data.Length;
        ref ulong rc = ref MemoryMarshal.GetReference(RoundConstants);
        ulong a00 = 0, a01 = 0, a02 = 0, a03 = 0, a04 = 0;
        ulong a10 = 0, a11 = 0, a12 = 0, a13 = 0, a14 = 0;
        ulong a20 = 0, a21 = 0, a22 = 0, a23 = 0, a24 = 0;
        ulong a30 = 0, a31 = 0, a32 = 0, a33 = 0, a34 = 0;
        ulong a40 = 0, a41 = 0, a42 = 0, a43 = 0, a44 = 0;
        ulong e00, e01, e02, e03, e04, e10, e11, e12, e13, e14, e20, e21, e22, e23, e24;
        ulong e30, e31, e32, e33, e34, e40, e41, e42, e43, e44;
        ulong c0, c1, c2, c3, c4, d0, d1, d2, d3, d4, b0, b1, b2, b3, b4;
        while (true)
        {
            bool last = left < RateBytes;
            if (!last)
            {
                a00 ^= Lane(ref p, 0);
                a01 ^= Lane(ref p, 1);
                a02 ^= Lane(ref p, 2);
                a03 ^= Lane(ref p, 3);
                a04 ^= Lane(ref p, 4);
                a10 ^= Lane(ref p, 5);
                a11 ^= Lane(ref p, 6);
                a12 ^= Lane(ref p, 7);
                a13 ^= Lane(ref p, 8);
                a14 ^= Lane(ref p, 9);
                a20 ^= Lane(ref p, 10);
                a21 ^= Lane(ref p, 11);
                a22 ^= Lane(ref p, 12);
                a23 ^= Lane(ref p, 13);
                a24 ^= Lane(ref p, 14);
                a30 ^= Lane(ref p, 15);
                a31 ^= Lane(ref p, 16);
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
                    a00 ^= Lane(ref p, 0);
                    a01 ^= Lane(ref p, 1);
                    a02 ^= Lane(ref p, 2);
                    a03 ^= Lane(ref p, 3);
                    a04 ^= 1UL;
                }
                else if (left == 64)
                {
                    a00 ^= Lane(ref p, 0);
                    a01 ^= Lane(ref p, 1);
                    a02 ^= Lane(ref p, 2);
                    a03 ^= Lane(ref p, 3);
                    a04 ^= Lane(ref p, 4);
                    a10 ^= Lane(ref p, 5);
                    a11 ^= Lane(ref p, 6);
                    a12 ^= Lane(ref p, 7);
                    a13 ^= 1UL;
                }
                else
                {
                    // Whole lanes straight from the input (falling through from the highest), then the lane holding
                    // the tail bytes and the first padding bit.
                    int full = (int)(left >> 3);
                    switch (full)
                    {
                        case 16: a30 ^= Lane(ref p, 15); goto case 15;
                        case 15: a24 ^= Lane(ref p, 14); goto case 14;
                        case 14: a23 ^= Lane(ref p, 13); goto case 13;
                        case 13: a22 ^= Lane(ref p, 12); goto case 12;
                        case 12: a21 ^= Lane(ref p, 11); goto case 11;
                        case 11: a20 ^= Lane(ref p, 10); goto case 10;
                        case 10: a14 ^= Lane(ref p, 9); goto case 9;
                        case 9: a13 ^= Lane(ref p, 8); goto case 8;
                        case 8: a12 ^= Lane(ref p, 7); goto case 7;
                        case 7: a11 ^= Lane(ref p, 6); goto case 6;
                        case 6: a10 ^= Lane(ref p, 5); goto case 5;
                        case 5: a04 ^= Lane(ref p, 4); goto case 4;
                        case 4: a03 ^= Lane(ref p, 3); goto case 3;
                        case 3: a02 ^= Lane(ref p, 2); goto case 2;
                        case 2: a01 ^= Lane(ref p, 1); goto case 1;
                        case 1: a00 ^= Lane(ref p, 0); break;
                    }
                    ulong tail = TailLane(ref Unsafe.Add(ref p, full * 8), (int)left & 7);
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
                a31 ^= 0x80UL << 56;
            }
            // Keccak-f[1600], rounds `round` (a -> e) and `round + 1` (e -> a) per iteration; the last block leaves
            // after round 22 for Squeeze, which does only the digest part of round 23.
            for (int round = 0; ; round += 2)
            {
                // θ: column parities C[x], then D[x] = C[x-1] ^ rot(C[x+1], 1), XORed into each lane as it is read
                c0 = a00 ^ a10 ^ a20 ^ a30 ^ a40;
                c1 = a01 ^ a11 ^ a21 ^ a31 ^ a41;
                c2 = a02 ^ a12 ^ a22 ^ a32 ^ a42;
                c3 = a03 ^ a13 ^ a23 ^ a33 ^ a43;
                c4 = a04 ^ a14 ^ a24 ^ a34 ^ a44;
                d0 = c4 ^ BitOperations.RotateLeft(c1, 1);
                d1 = c0 ^ BitOperations.RotateLeft(c2, 1);
                d2 = c1 ^ BitOperations.RotateLeft(c3, 1);
                d3 = c2 ^ BitOperations.RotateLeft(c4, 1);
                d4 = c3 ^ BitOperations.RotateLeft(c0, 1);
                // ρ and π gather one output row into b0..b4, χ combines it (ι on lane 0)
                b0 = a00 ^ d0;
                b1 = BitOperations.RotateLeft(a11 ^ d1, 44);
                b2 = BitOperations.RotateLeft(a22 ^ d2, 43);
                b3 = BitOperations.RotateLeft(a33 ^ d3, 21);
                b4 = BitOperations.RotateLeft(a44 ^ d4, 14);
                e00 = b0 ^ (~b1 & b2) ^ Unsafe.Add(ref rc, round);
                e01 = b1 ^ (~b2 & b3);
                e02 = b2 ^ (~b3 & b4);
                e03 = b3 ^ (~b4 & b0);
                e04 = b4 ^ (~b0 & b1);
                b0 = BitOperations.RotateLeft(a03 ^ d3, 28);
                b1 = BitOperations.RotateLeft(a14 ^ d4, 20);
                b2 = BitOperations.RotateLeft(a20 ^ d0, 3);
                b3 = BitOperations.RotateLeft(a31 ^ d1, 45);
                b4 = BitOperations.RotateLeft(a42 ^ d2, 61);
                e10 = b0 ^ (~b1 & b2);
                e11 = b1 ^ (~b2 & b3);
                e12 = b2 ^ (~b3 & b4);
                e13 = b3 ^ (~b4 & b0);
                e14 = b4 ^ (~b0 & b1);
                b0 = BitOperations.RotateLeft(a01 ^ d1, 1);
                b1 = BitOperations.RotateLeft(a12 ^ d2, 6);
                b2 = BitOperations.RotateLeft(a23 ^ d3, 25);
                b3 = BitOperations.RotateLeft(a34 ^ d4, 8);
                b4 = BitOperations.RotateLeft(a40 ^ d0, 18);
                e20 = b0 ^ (~b1 & b2);
                e21 = b1 ^ (~b2 & b3);
                e22 = b2 ^ (~b3 & b4);
                e23 = b3 ^ (~b4 & b0);
                e24 = b4 ^ (~b0 & b1);
                b0 = BitOperations.RotateLeft(a04 ^ d4, 27);
                b1 = BitOperations.RotateLeft(a10 ^ d0, 36);
                b2 = BitOperations.RotateLeft(a21 ^ d1, 10);
                b3 = BitOperations.RotateLeft(a32 ^ d2, 15);
                b4 = BitOperations.RotateLeft(a43 ^ d3, 56);
                e30 = b0 ^ (~b1 & b2);
                e31 = b1 ^ (~b2 & b3);
                e32 = b2 ^ (~b3 & b4);
                e33 = b3 ^ (~b4 & b0);
                e34 = b4 ^ (~b0 & b1);
                b0 = BitOperations.RotateLeft(a02 ^ d2, 62);
                b1 = BitOperations.RotateLeft(a13 ^ d3, 55);
                b2 = BitOperations.RotateLeft(a24 ^ d4, 39);
                b3 = BitOperations.RotateLeft(a30 ^ d0, 41);
                b4 = BitOperations.RotateLeft(a41 ^ d1, 2);
                e40 = b0 ^ (~b1 & b2);
                e41 = b1 ^ (~b2 & b3);
                e42 = b2 ^ (~b3 & b4);
                e43 = b3 ^ (~b4 & b0);
                e44 = b4 ^ (~b0 & b1);
                // The last round of the last block only needs the digest lanes
                if (round == 22 && last) goto Squeeze;
                // θ: column parities C[x], then D[x] = C[x-1] ^ rot(C[x+1], 1), XORed into each lane as it is read
                c0 = e00 ^ e10 ^ e20 ^ e30 ^ e40;
                c1 = e01 ^ e11 ^ e21 ^ e31 ^ e41;
                c2 = e02 ^ e12 ^ e22 ^ e32 ^ e42;
                c3 = e03 ^ e13 ^ e23 ^ e33 ^ e43;
                c4 = e04 ^ e14 ^ e24 ^ e34 ^ e44;
                d0 = c4 ^ BitOperations.RotateLeft(c1, 1);
                d1 = c0 ^ BitOperations.RotateLeft(c2, 1);
                d2 = c1 ^ BitOperations.RotateLeft(c3, 1);
                d3 = c2 ^ BitOperations.RotateLeft(c4, 1);
                d4 = c3 ^ BitOperations.RotateLeft(c0, 1);
                // ρ and π gather one output row into b0..b4, χ combines it (ι on lane 0)
                b0 = e00 ^ d0;
                b1 = BitOperations.RotateLeft(e11 ^ d1, 44);
                b2 = BitOperations.RotateLeft(e22 ^ d2, 43);
                b3 = BitOperations.RotateLeft(e33 ^ d3, 21);
                b4 = BitOperations.RotateLeft(e44 ^ d4, 14);
                a00 = b0 ^ (~b1 & b2) ^ Unsafe.Add(ref rc, round + 1);
                a01 = b1 ^ (~b2 & b3);
                a02 = b2 ^ (~b3 & b4);
                a03 = b3 ^ (~b4 & b0);
                a04 = b4 ^ (~b0 & b1);
                b0 = BitOperations.RotateLeft(e03 ^ d3, 28);
                b1 = BitOperations.RotateLeft(e14 ^ d4, 20);
                b2 = BitOperations.RotateLeft(e20 ^ d0, 3);
                b3 = BitOperations.RotateLeft(e31 ^ d1, 45);
                b4 = BitOperations.RotateLeft(e42 ^ d2, 61);
                a10 = b0 ^ (~b1 & b2);
                a11 = b1 ^ (~b2 & b3);
                a12 = b2 ^ (~b3 & b4);
                a13 = b3 ^ (~b4 & b0);
                a14 = b4 ^ (~b0 & b1);
                b0 = BitOperations.RotateLeft(e01 ^ d1, 1);
                b1 = BitOperations.RotateLeft(e12 ^ d2, 6);
                b2 = BitOperations.RotateLeft(e23 ^ d3, 25);
                b3 = BitOperations.RotateLeft(e34 ^ d4, 8);
                b4 = BitOperations.RotateLeft(e40 ^ d0, 18);
                a20 = b0 ^ (~b1 & b2);
                a21 = b1 ^ (~b2 & b3);
                a22 = b2 ^ (~b3 & b4);
                a23 = b3 ^ (~b4 & b0);
                a24 = b4 ^ (~b0 & b1);
                b0 = BitOperations.RotateLeft(e04 ^ d4, 27);
                b1 = BitOperations.RotateLeft(e10 ^ d0, 36);
                b2 = BitOperations.RotateLeft(e21 ^ d1, 10);
                b3 = BitOperations.RotateLeft(e32 ^ d2, 15);
                b4 = BitOperations.RotateLeft(e43 ^ d3, 56);
                a30 = b0 ^ (~b1 & b2);
                a31 = b1 ^ (~b2 & b3);
                a32 = b2 ^ (~b3 & b4);
                a33 = b3 ^ (~b4 & b0);
                a34 = b4 ^ (~b0 & b1);
                b0 = BitOperations.RotateLeft(e02 ^ d2, 62);
                b1 = BitOperations.RotateLeft(e13 ^ d3, 55);
                b2 = BitOperations.RotateLeft(e24 ^ d4, 39);
                b3 = BitOperations.RotateLeft(e30 ^ d0, 41);
                b4 = BitOperations.RotateLeft(e41 ^ d1, 2);
                a40 = b0 ^ (~b1 & b2);
                a41 = b1 ^ (~b2 & b3);
                a42 = b2 ^ (~b3 & b4);
                a43 = b3 ^ (~b4 & b0);
                a44 = b4 ^ (~b0 & b1);
                if (round == 22) break;
            }
        }
    Squeeze:
        // θ: column parities C[x], then D[x] = C[x-1] ^ rot(C[x+1], 1), XORed into each lane as it is read
        c0 = e00 ^ e10 ^ e20 ^ e30 ^ e40;
        c1 = e01 ^ e11 ^ e21 ^ e31 ^ e41;
        c2 = e02 ^ e12 ^ e22 ^ e32 ^ e42;
        c3 = e03 ^ e13 ^ e23 ^ e33 ^ e43;
        c4 = e04 ^ e14 ^ e24 ^ e34 ^ e44;
        d0 = c4 ^ BitOperations.RotateLeft(c1, 1);
        d1 = c0 ^ BitOperations.RotateLeft(c2, 1);
        d2 = c1 ^ BitOperations.RotateLeft(c3, 1);
        d3 = c2 ^ BitOperations.RotateLeft(c4, 1);
        d4 = c3 ^ BitOperations.RotateLeft(c0, 1);
        // The last round of the last block: only output row 0's lanes 0..3, the digest, are needed
        b0 = e00 ^ d0;
        b1 = BitOperations.RotateLeft(e11 ^ d1, 44);
        b2 = BitOperations.RotateLeft(e22 ^ d2, 43);
        b3 = BitOperations.RotateLeft(e33 ^ d3, 21);
        b4 = BitOperations.RotateLeft(e44 ^ d4, 14);
        h0 = b0 ^ (~b1 & b2) ^ Unsafe.Add(ref rc, 23);
        h1 = b1 ^ (~b2 & b3);
        h2 = b2 ^ (~b3 & b4);
        h3 = b3 ^ (~b4 & b0);
    }
}
