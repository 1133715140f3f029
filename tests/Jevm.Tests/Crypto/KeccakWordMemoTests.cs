using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Jevm.Crypto;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Tests.Support;
using Org.BouncyCastle.Crypto.Digests;
using static Jevm.Evm.OpcodeTable;
using static Jevm.Tests.Support.Evm;

namespace Jevm.Tests.Crypto;

/// <summary>
/// The KECCAK256 memo for one- and two-word inputs against BouncyCastle's Keccak: sequences that repeat inputs (hits),
/// that differ from a remembered input only in its second word or in its length, and that collide in the table's
/// index (limbs permuted within a word fold to the same index), so a hit is taken only for the very same input.
/// </summary>
[Properties(MaxTest = 300, QuietOnSuccess = true)]
public class KeccakWordMemoTests
{
    private static UInt256 Reference(ReadOnlySpan<byte> data)
    {
        var digest = new KeccakDigest(256);
        digest.BlockUpdate(data);
        byte[] h = new byte[32];
        digest.DoFinal(h);
        return UInt256.ReadBigEndian(h);
    }

    private static UInt256 Memo(byte[] data)
    {
        KeccakWordMemo.HashToWord(data, out var word);
        return word;
    }

    // A pool of related inputs: random ones, each with limbs swapped in its first word (same index), its second word
    // changed, limbs swapped in its second word (same first word, same index), and cut to its first word (same first
    // word, other length).
    private static List<byte[]> Related(int seed)
    {
        var rng = new Random(seed);
        var pool = new List<byte[]>();
        for (int i = 0; i < 4; i++)
        {
            var a = new byte[64];
            rng.NextBytes(a);
            if (i == 0) a.AsSpan(0, 24).Clear(); // a small key, like a slot number
            pool.Add(a);
            var swapped = (byte[])a.Clone();
            a.AsSpan(0, 8).CopyTo(swapped.AsSpan(8, 8));
            a.AsSpan(8, 8).CopyTo(swapped.AsSpan(0, 8));
            pool.Add(swapped);
            var second = (byte[])a.Clone();
            second[63] ^= 1;
            pool.Add(second);
            var swappedSecond = (byte[])a.Clone(); // same first word and same index, other second word
            a.AsSpan(32, 8).CopyTo(swappedSecond.AsSpan(48, 8));
            a.AsSpan(48, 8).CopyTo(swappedSecond.AsSpan(32, 8));
            pool.Add(swappedSecond);
            pool.Add(a[..32]);
        }
        return pool;
    }

    [Property]
    public Property Memo_agrees_with_the_reference_over_repeats_and_collisions() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), Gen.ListOf(Gen.Choose(0, 19), 40).ToArbitrary(), (seed, picks) =>
        {
            var pool = Related(seed);
            foreach (int i in picks)
                if (Memo(pool[i]) != Reference(pool[i])) return false;
            return true;
        });

    [Fact]
    public void An_input_differing_only_in_its_second_word_or_length_is_not_a_hit()
    {
        var a = new byte[64];
        a[31] = 5;                      // keccak256(0 . 5)-like: a mapping slot
        var b = (byte[])a.Clone();
        b[63] = 1;
        Assert.Equal(Reference(a), Memo(a));
        Assert.Equal(Reference(b), Memo(b));
        Assert.Equal(Reference(a), Memo(a));
        Assert.Equal(Reference(a.AsSpan(0, 32)), Memo(a[..32]));
        Assert.NotEqual(Memo(a), Memo(a[..32]));
    }

    [Fact]
    public void Each_thread_has_its_own_table()
    {
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var threads = new Thread[4];
        for (int t = 0; t < threads.Length; t++)
        {
            int seed = t;
            threads[t] = new Thread(() =>
            {
                var pool = Related(seed);
                var rng = new Random(seed);
                for (int i = 0; i < 5_000 && failures.IsEmpty; i++)
                {
                    var x = pool[rng.Next(pool.Count)];
                    if (Memo(x) != Reference(x)) failures.Add($"thread {seed}, input {Convert.ToHexString(x)}");
                }
            });
            threads[t].Start();
        }
        foreach (var thread in threads) thread.Join();
        Assert.Empty(failures);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Keccak256_of_repeated_slots_is_right_on_every_engine(EngineKind kind)
    {
        // keccak256(word 7 . word 1), keccak256(word 7 . word 2), the first again, then keccak256(word 7): summed, so a
        // stale hit anywhere changes the result.
        var code = Code.New
            .MStore(0, 7).MStore(32, 1).Push(64).Push(0).Op(KECCAK256)
            .MStore(32, 2).Push(64).Push(0).Op(KECCAK256).Op(ADD)
            .MStore(32, 1).Push(64).Push(0).Op(KECCAK256).Op(ADD)
            .Push(32).Push(0).Op(KECCAK256).Op(ADD)
            .ReturnTop();
        var w7 = new byte[32]; w7[31] = 7;
        byte[] Pair(byte second) { var p = new byte[64]; p[31] = 7; p[63] = second; return p; }
        var expected = Reference(Pair(1)) + Reference(Pair(2)) + Reference(Pair(1)) + Reference(w7);
        for (int i = 0; i < 3; i++) Assert.Equal(expected, Run(kind, Fork.Cancun, code).Word());
    }
}
