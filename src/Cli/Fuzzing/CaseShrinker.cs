using Jevm.Evm;
using Jevm.Numerics;
using Jevm.State;

namespace Jevm.Cli.Fuzzing;

/// <summary>
/// Smaller variants of a case, simplest first: fewer accounts, fewer pieces (halves, then single pieces), smaller raw
/// pieces, then a plainer transaction. FsCheck's shrinker and the campaign's minimiser both walk these.
/// </summary>
public static class CaseShrinker
{
    /// <summary>Candidates one step smaller than <paramref name="c"/>.</summary>
    public static IEnumerable<FuzzCase> Shrink(FuzzCase c)
    {
        // Drop a non-target account.
        for (int i = c.Accounts.Count - 1; i >= 1; i--)
        {
            var list = c.Accounts.ToList();
            list.RemoveAt(i);
            yield return c with { Accounts = list };
        }
        // Smaller programs.
        if (c.Transaction.InitCode is { } init)
            foreach (var p in ShrinkProgram(init)) yield return c with { Transaction = c.Transaction with { InitCode = p } };
        for (int i = 0; i < c.Accounts.Count; i++)
        {
            var a = c.Accounts[i];
            foreach (var p in ShrinkProgram(a.Code)) yield return WithAccount(c, i, a with { Code = p });
        }
        // Plainer accounts and transaction.
        for (int i = 0; i < c.Accounts.Count; i++)
        {
            var a = c.Accounts[i];
            if (a.Storage.Count > 0) yield return WithAccount(c, i, a with { Storage = [] });
            if (!a.Balance.IsZero) yield return WithAccount(c, i, a with { Balance = UInt256.Zero });
            if (a.Nonce != 0) yield return WithAccount(c, i, a with { Nonce = 0 });
        }
        var t = c.Transaction;
        if (t.Data.Length > 0) yield return c with { Transaction = t with { Data = [] } };
        if (!t.Value.IsZero) yield return c with { Transaction = t with { Value = UInt256.Zero } };
        if (t.AccessList.Count > 0) yield return c with { Transaction = t with { AccessList = Array.Empty<AccessListEntry>() } };
        if (t.Type != 0) yield return c with { Transaction = t with { Type = 0, AccessList = Array.Empty<AccessListEntry>() } };
    }

    private static FuzzCase WithAccount(FuzzCase c, int i, FuzzAccount a)
    {
        var list = c.Accounts.ToList();
        list[i] = a;
        return c with { Accounts = list };
    }

    /// <summary>The program without each half, quarter, …, then without each piece; raw pieces cut in half.</summary>
    public static IEnumerable<FuzzProgram> ShrinkProgram(FuzzProgram p)
    {
        var pieces = p.Pieces;
        int n = pieces.Count;
        if (n == 0) yield break;
        yield return FuzzProgram.Empty;
        for (int chunk = n / 2; chunk >= 1; chunk /= 2)
            for (int start = 0; start + chunk <= n; start += chunk)
            {
                var list = new List<Piece>(n - chunk);
                for (int i = 0; i < n; i++) if (i < start || i >= start + chunk) list.Add(pieces[i]);
                yield return new FuzzProgram(list);
            }
        // Single instructions out of label-free pieces (labels would move).
        for (int i = 0; i < n; i++)
        {
            var piece = pieces[i];
            if (piece.Labels.Length != 0) continue;
            var code = piece.Code;
            for (int pc = 0; pc < code.Length;)
            {
                int size = 1 + (OpcodeTable.Get(code[pc]) is { } info ? info.ImmediateSize : 0);
                size = Math.Min(size, code.Length - pc);
                if (size < code.Length)
                {
                    var list = pieces.ToList();
                    list[i] = piece with { Code = [.. code[..pc], .. code[(pc + size)..]] };
                    yield return new FuzzProgram(list);
                }
                pc += size;
            }
        }
        for (int i = 0; i < n; i++)
        {
            var piece = pieces[i];
            if (piece.Labels.Length == 0 && piece.Code.Length > 1)
            {
                var list = pieces.ToList();
                list[i] = piece with { Code = piece.Code[..(piece.Code.Length / 2)] };
                yield return new FuzzProgram(list);
                list[i] = piece with { Code = piece.Code[(piece.Code.Length / 2)..] };
                yield return new FuzzProgram(list);
            }
        }
    }

    /// <summary>
    /// Greedy minimisation: takes the first smaller candidate that still <paramref name="fails"/>, until none does or
    /// <paramref name="budget"/> candidates were tried.
    /// </summary>
    public static FuzzCase Minimize(FuzzCase c, Func<FuzzCase, bool> fails, int budget = 400)
    {
        int tried = 0;
        bool progress = true;
        while (progress && tried < budget)
        {
            progress = false;
            foreach (var candidate in Shrink(c))
            {
                if (++tried > budget) break;
                if (fails(candidate))
                {
                    c = candidate;
                    progress = true;
                    break;
                }
            }
        }
        return c;
    }
}
