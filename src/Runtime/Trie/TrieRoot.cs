using Jevm.Crypto;
using Jevm.Encoding;
using Jevm.Primitives;

namespace Jevm.Trie;

/// <summary>
/// Computes Merkle-Patricia trie roots (Yellow Paper, appendix D) of a complete key/value set in one pass: the
/// entries are sorted, and each node is built from the run of keys sharing its path, written into one RLP buffer,
/// and replaced by its hash when its encoding is 32 bytes or longer. No trie is kept: this is for the final state of a
/// state test, computed once.
/// </summary>
public static class TrieRoot
{
    /// <summary>The root of the empty trie: keccak256(rlp("")).</summary>
    public static readonly Hash256 Empty = Keccak256.Compute([Rlp.EmptyString]);

    /// <summary>
    /// The root of the trie holding <paramref name="entries"/> (keys distinct; values non-empty: an empty value means
    /// absent and must be left out).
    /// </summary>
    public static Hash256 Compute(IReadOnlyList<KeyValuePair<byte[], byte[]>> entries)
    {
        if (entries.Count == 0) return Empty;
        var keys = new byte[entries.Count][];
        var values = new byte[entries.Count][];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = entries[i].Key;
            values[i] = entries[i].Value;
        }
        return ComputeInPlace(keys, values);
    }

    /// <summary>The root of the "secure" trie: each key replaced by its keccak256.</summary>
    public static Hash256 ComputeSecure(IReadOnlyList<KeyValuePair<byte[], byte[]>> entries)
    {
        if (entries.Count == 0) return Empty;
        var keys = new byte[entries.Count][];
        var values = new byte[entries.Count][];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = new byte[32];
            Keccak256.Compute(entries[i].Key, keys[i]);
            values[i] = entries[i].Value;
        }
        return ComputeInPlace(keys, values);
    }

    /// <summary>
    /// The root of the trie with <paramref name="keys"/>[i] → <paramref name="values"/>[i]; sorts both arrays in
    /// place. Keys must be distinct.
    /// </summary>
    public static Hash256 ComputeInPlace(byte[][] keys, byte[][] values)
    {
        if (keys.Length != values.Length) throw new ArgumentException("keys and values differ in count");
        if (keys.Length == 0) return Empty;
        Array.Sort(keys, values, ByteArrayComparer.Instance);
        var builder = new Builder(keys, values);
        builder.Node(0, keys.Length, 0);
        return Keccak256.Compute(builder.Writer.Written);
    }

    private sealed class ByteArrayComparer : IComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }

    private readonly struct Builder(byte[][] keys, byte[][] values)
    {
        public readonly RlpWriter Writer = new(1024);

        private static int Nibble(byte[] key, int i) => (i & 1) == 0 ? key[i >> 1] >> 4 : key[i >> 1] & 0xf;

        // Writes a reference to the node for keys[lo..hi) at nibble depth d: the node itself when its encoding is
        // shorter than 32 bytes, otherwise its hash as a 32-byte string.
        private void Reference(int lo, int hi, int d)
        {
            int start = Writer.Length;
            Node(lo, hi, d);
            int length = Writer.Length - start;
            if (length < 32) return;
            Span<byte> hash = stackalloc byte[32];
            Keccak256.Compute(Writer.Written[start..], hash);
            Writer.Truncate(start);
            Writer.WriteBytes(hash);
        }

        public void Node(int lo, int hi, int d)
        {
            byte[] first = keys[lo];
            if (hi - lo == 1)
            {
                int leaf = Writer.StartList();
                WritePath(first, d, first.Length * 2 - d, leaf: true);
                Writer.WriteBytes(values[lo]);
                Writer.EndList(leaf);
                return;
            }
            byte[] last = keys[hi - 1];
            int max = Math.Min(first.Length, last.Length) * 2;
            int common = 0;
            while (d + common < max && Nibble(first, d + common) == Nibble(last, d + common)) common++;
            if (common > 0)
            {
                int ext = Writer.StartList();
                WritePath(first, d, common, leaf: false);
                Reference(lo, hi, d + common);
                Writer.EndList(ext);
                return;
            }
            int branch = Writer.StartList();
            int i = lo;
            int terminal = -1;
            if (first.Length * 2 == d) terminal = i++; // the shortest key ends here (keys are sorted)
            for (int n = 0; n < 16; n++)
            {
                int j = i;
                while (j < hi && Nibble(keys[j], d) == n) j++;
                if (j > i) Reference(i, j, d + 1);
                else WriteEmpty();
                i = j;
            }
            if (terminal >= 0) Writer.WriteBytes(values[terminal]);
            else WriteEmpty();
            Writer.EndList(branch);
        }

        private void WriteEmpty()
        {
            Writer.GetSpan(1)[0] = Rlp.EmptyString;
            Writer.Advance(1);
        }

        // Hex-prefix encoding (Yellow Paper appendix C) of key's nibbles [from, from+count), as an RLP string.
        private void WritePath(byte[] key, int from, int count, bool leaf)
        {
            int flag = leaf ? 2 : 0;
            int length = count / 2 + 1;
            Span<byte> hp = stackalloc byte[length];
            int pos = from;
            if ((count & 1) == 1) hp[0] = (byte)(((flag + 1) << 4) | Nibble(key, pos++));
            else hp[0] = (byte)(flag << 4);
            for (int k = 1; k < length; k++, pos += 2)
                hp[k] = (byte)((Nibble(key, pos) << 4) | Nibble(key, pos + 1));
            Writer.WriteBytes(hp);
        }
    }
}
