using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Jevm.Numerics;

namespace Jevm.Crypto;

/// <summary>
/// KECCAK256 of one or two words, remembered. Solidity computes a storage slot as keccak256(key . slot) for a mapping
/// entry and keccak256(slot) for a dynamic array's base, again at every access: a balance read and then written is two
/// identical hashes, an array walked in a loop hashes its base each step. A small direct-mapped table per thread turns a
/// repeat into a 64-byte compare instead of a Keccak-f permutation (about 150 ns).
/// </summary>
/// <remarks>
/// Exact: an entry is used only when its whole input equals the new one. A miss costs the index and the compare (a few
/// nanoseconds) on top of the hash; inputs chosen to collide in the index only make every lookup a miss. Per thread, so
/// entries are rewritten in place without locks; 256 entries of 100 bytes (25 KiB) allocated once per thread.
/// </remarks>
internal static class KeccakWordMemo
{
    private const int Entries = 256;

    private struct Entry
    {
        public UInt256 Word0, Word1;   // the input as read from memory (raw bytes; Word1 unused for 32-byte inputs)
        public UInt256 Hash;           // the result, as the EVM word KECCAK256 pushes
        public int Length;             // 32 or 64; 0: empty
    }

    [ThreadStatic] private static Entry[]? t_entries;

    /// <summary>Keccak-256 of <paramref name="data"/> (32 or 64 bytes) as an EVM word, from the table when it was seen.</summary>
    public static void HashToWord(ReadOnlySpan<byte> data, out UInt256 word)
    {
        var entries = t_entries ??= new Entry[Entries];
        ref byte p = ref MemoryMarshal.GetReference(data);
        var w0 = Unsafe.ReadUnaligned<UInt256>(ref p);
        var w1 = data.Length == 64 ? Unsafe.ReadUnaligned<UInt256>(ref Unsafe.Add(ref p, 32)) : default;
        // Fold the limbs that differ between keys (an address's low bytes, a slot number) into an index.
        ulong h = (w0.U0 ^ w0.U1 ^ w0.U2 ^ w0.U3) * 0x9E3779B97F4A7C15UL ^ (w1.U0 ^ w1.U1 ^ w1.U2 ^ w1.U3) * 0xC2B2AE3D27D4EB4FUL;
        ref Entry e = ref entries[(int)(h >> 56)];
        if (e.Length == data.Length && e.Word0 == w0 && e.Word1 == w1)
        {
            word = e.Hash;
            return;
        }
        KeccakSponge.HashToWord(data, out word);
        e.Word0 = w0;
        e.Word1 = w1;
        e.Hash = word;
        e.Length = data.Length;
    }
}
