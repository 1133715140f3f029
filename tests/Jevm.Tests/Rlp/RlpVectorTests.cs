using System.Numerics;
using System.Text.Json;
using FsCheck.Xunit;
using Jevm.Encoding;
using Jevm.Numerics;
using Jevm.Tests.Support;
using RlpCodec = Jevm.Encoding.Rlp;

namespace Jevm.Tests.Rlp;

/// <summary>RLP against the official vectors in ethtests/RLPTests.</summary>
public class RlpVectorTests
{
    public static TheoryData<string> ValidCases() => CaseNames("rlptest.json");
    public static TheoryData<string> InvalidCases() => CaseNames("invalidRLPTest.json");

    private static TheoryData<string> CaseNames(string file)
    {
        var data = new TheoryData<string>();
        var path = EthTests.Root is null ? null : Path.Combine(EthTests.Root, "RLPTests", file);
        if (path is null || !File.Exists(path)) { data.Add("(missing)"); return data; }
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var p in doc.RootElement.EnumerateObject()) data.Add(p.Name);
        return data;
    }

    private static JsonElement Case(string file, string name)
    {
        var path = EthTests.Require(Path.Combine("RLPTests", file));
        if (name == "(missing)") Assert.Fail("case list was empty although the data exists");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty(name).Clone();
    }

    // The vectors' "in": a string (its characters are bytes), an integer, "#decimal" for a big integer, or a list.
    private static RlpItem FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => RlpItem.FromList(e.EnumerateArray().Select(FromJson).ToList()),
        JsonValueKind.Number => RlpItem.FromBytes(BigEndian(new BigInteger(e.GetUInt64()))),
        JsonValueKind.String when e.GetString()!.StartsWith('#') => RlpItem.FromBytes(BigEndian(BigInteger.Parse(e.GetString()![1..]))),
        JsonValueKind.String => RlpItem.FromBytes(e.GetString()!.Select(c => checked((byte)c)).ToArray()),
        _ => throw new InvalidOperationException($"unexpected JSON {e.ValueKind}"),
    };

    private static byte[] BigEndian(BigInteger v) => v.IsZero ? [] : v.ToByteArray(isUnsigned: true, isBigEndian: true);

    private static void AssertSame(RlpItem expected, RlpItem actual)
    {
        Assert.Equal(expected.IsList, actual.IsList);
        if (!expected.IsList) { Assert.Equal(expected.Bytes, actual.Bytes); return; }
        Assert.Equal(expected.Items!.Count, actual.Items!.Count);
        for (int i = 0; i < expected.Items.Count; i++) AssertSame(expected.Items[i], actual.Items[i]);
    }

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Valid_vector_encodes_and_decodes(string name)
    {
        var c = Case("rlptest.json", name);
        var expected = Hex.Decode(c.GetProperty("out").GetString()!);
        var item = FromJson(c.GetProperty("in"));
        Assert.Equal(Hex.Encode(expected), Hex.Encode(item.Encode()));
        AssertSame(item, RlpCodec.Decode(expected));
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Invalid_vector_is_rejected(string name)
    {
        var c = Case("invalidRLPTest.json", name);
        var bytes = Hex.Decode(c.GetProperty("out").GetString()!);
        Assert.Throws<RlpException>(() => RlpCodec.Decode(bytes));
    }

    [Fact]
    public void Random_valid_example_round_trips()
    {
        var path = EthTests.Require(Path.Combine("RLPTests", "RandomRLPTests", "example.json"));
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        int n = 0;
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            var bytes = Hex.Decode(p.Value.GetProperty("out").GetString()!);
            Assert.Equal(bytes, RlpCodec.Decode(bytes).Encode());
            n++;
        }
        Assert.True(n > 0);
    }

    [Theory]
    [InlineData("0x00")]          // integer with a leading zero
    [InlineData("0x820001")]      // integer with a leading zero, two bytes
    public void Integer_with_leading_zero_is_rejected(string hex)
    {
        Assert.Throws<RlpException>(() => new RlpReader(Hex.Decode(hex)).ReadUInt256().ToString());
    }

    [Property]
    public bool UInt256_round_trips_and_matches_BigInteger(ulong a, ulong b, ulong c, ulong d)
    {
        var v = new UInt256(a, b, c, d);
        var encoded = RlpCodec.Encode(v);
        var big = v.ToBigInteger();
        var expected = RlpItem.FromBytes(BigEndian(big)).Encode();
        var r = new RlpReader(encoded);
        return encoded.AsSpan().SequenceEqual(expected) && r.ReadUInt256() == v && !r.HasMore;
    }

    [Property]
    public bool Byte_strings_round_trip(byte[] payload, byte[][] list)
    {
        var item = RlpItem.FromList([RlpItem.FromBytes(payload ?? []), RlpItem.FromList((list ?? []).Select(x => RlpItem.FromBytes(x ?? [])).ToList())]);
        var bytes = item.Encode();
        return RlpCodec.Decode(bytes).Encode().AsSpan().SequenceEqual(bytes);
    }

    [Fact]
    public void Writer_nests_lists_like_the_item_tree()
    {
        var w = new RlpWriter(4);
        int outer = w.StartList();
        w.Write(1000UL);
        int inner = w.StartList();
        w.WriteBytes(new byte[60]); // forces a long string header inside
        w.EndList(inner);
        w.EndList(outer);
        var expected = RlpItem.FromList([RlpItem.FromBytes([0x03, 0xe8]), RlpItem.FromList([RlpItem.FromBytes(new byte[60])])]).Encode();
        Assert.Equal(expected, w.ToArray());
    }
}
