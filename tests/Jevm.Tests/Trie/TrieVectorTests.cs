using System.Text.Json;
using Jevm.Crypto;
using Jevm.Encoding;
using Jevm.Primitives;
using Jevm.Tests.Support;
using Jevm.Trie;

namespace Jevm.Tests.Trie;

/// <summary>Trie roots against every vector in ethtests/TrieTests.</summary>
public class TrieVectorTests
{
    private static readonly string[] s_files =
        ["trietest.json", "trietest_secureTrie.json", "trieanyorder.json", "trieanyorder_secureTrie.json", "hex_encoded_securetrie_test.json"];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var f in s_files)
        {
            var path = EthTests.Root is null ? null : Path.Combine(EthTests.Root, "TrieTests", f);
            if (path is null || !File.Exists(path)) { data.Add(f, "(missing)"); continue; }
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            foreach (var p in doc.RootElement.EnumerateObject()) data.Add(f, p.Name);
        }
        return data;
    }

    // "0x…" is hex, anything else is its characters as bytes (the vectors' convention).
    private static byte[] Bytes(string? s) =>
        s is null ? [] : s.StartsWith("0x") ? Hex.Decode(s) : System.Text.Encoding.UTF8.GetBytes(s);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Root_matches_vector(string file, string name)
    {
        var path = EthTests.Require(Path.Combine("TrieTests", file));
        Assert.NotEqual("(missing)", name);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var test = doc.RootElement.GetProperty(name);
        // Apply the updates in order: a later value replaces an earlier one, null or empty deletes.
        var map = new Dictionary<string, byte[]>();
        var input = test.GetProperty("in");
        IEnumerable<(string Key, string? Value)> pairs = input.ValueKind == JsonValueKind.Array
            ? input.EnumerateArray().Select(a => (a[0].GetString()!, a[1].GetString()))
            : input.EnumerateObject().Select(p => (p.Name, p.Value.GetString()));
        foreach (var (k, v) in pairs)
        {
            var key = Convert.ToHexString(Bytes(k));
            var value = Bytes(v);
            if (value.Length == 0) map.Remove(key); else map[key] = value;
        }
        var entries = map.Select(kv => new KeyValuePair<byte[], byte[]>(Convert.FromHexString(kv.Key), kv.Value)).ToList();
        bool secure = file.Contains("secure", StringComparison.OrdinalIgnoreCase);
        var root = secure ? TrieRoot.ComputeSecure(entries) : TrieRoot.Compute(entries);
        Assert.Equal(test.GetProperty("root").GetString(), root.ToString());
    }

    [Fact]
    public void Empty_trie_root_is_the_well_known_constant()
    {
        Assert.Equal("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421", TrieRoot.Empty.ToString());
        Assert.Equal(TrieRoot.Empty, TrieRoot.Compute([]));
    }

    [Fact]
    public void Single_short_entry_root_is_hash_of_leaf()
    {
        // One key 0x01 → "a": the leaf [hp(0,1 leaf even) = 0x20 0x01, "a"] = c4 82 20 01 61; the root is its hash
        // even though the node is shorter than 32 bytes.
        var root = TrieRoot.Compute([new(new byte[] { 0x01 }, "a"u8.ToArray())]);
        Assert.Equal(Keccak256.Compute([0xc4, 0x82, 0x20, 0x01, 0x61]), root);
    }

    [Fact]
    public void Order_of_insertion_does_not_matter()
    {
        var rng = new Random(7);
        var entries = new List<KeyValuePair<byte[], byte[]>>();
        var seen = new HashSet<string>();
        for (int i = 0; i < 300; i++)
        {
            var k = new byte[rng.Next(1, 6)];
            rng.NextBytes(k);
            if (!seen.Add(Convert.ToHexString(k))) continue;
            var v = new byte[rng.Next(1, 40)];
            rng.NextBytes(v);
            entries.Add(new(k, v));
        }
        Hash256 a = TrieRoot.Compute(entries);
        entries.Reverse();
        Assert.Equal(a, TrieRoot.Compute(entries));
    }
}
