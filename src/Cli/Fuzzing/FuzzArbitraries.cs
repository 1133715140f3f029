using FsCheck;
using FsCheck.Fluent;
using Jevm.Evm;

namespace Jevm.Cli.Fuzzing;

/// <summary>
/// The generators as FsCheck arbitraries, for property tests: each draws a (seed, index) and builds the case the
/// campaign would build for it, so a failing property names a case that <c>jevm fuzz</c> reproduces; shrinking walks
/// <see cref="CaseShrinker"/> down to a small program.
/// </summary>
public static class FuzzArbitraries
{
    private static Gen<FuzzCase> CaseGen(CaseOptions options) =>
        from seed in Gen.Choose(0, int.MaxValue)
        from index in Gen.Choose(0, int.MaxValue)
        select CaseGenerator.Generate((ulong)seed, index, options);

    /// <summary>Structured cases on random forks (with the default share of raw-byte programs and creations).</summary>
    public static Arbitrary<FuzzCase> Cases() => Arb.From(CaseGen(CaseOptions.Default), CaseShrinker.Shrink);

    /// <summary>Structured cases on one fork.</summary>
    public static Arbitrary<FuzzCase> CasesOn(Fork fork) => Arb.From(CaseGen(new CaseOptions { Fork = fork }), CaseShrinker.Shrink);

    /// <summary>Cases whose programs are raw random bytes.</summary>
    public static Arbitrary<FuzzCase> RawCases() => Arb.From(CaseGen(new CaseOptions { RawPercent = 100, CreatePercent = 0 }), CaseShrinker.Shrink);

    /// <summary>Single structured programs for <paramref name="fork"/> (calls go to the usual contract addresses).</summary>
    public static Arbitrary<FuzzProgram> Programs(Fork fork) => Arb.From(
        from seed in Gen.Choose(0, int.MaxValue)
        from pieces in Gen.Sized(s => Gen.Choose(1, Math.Max(1, Math.Min(40, s))))
        select new ProgramBuilder(new FuzzRandom((ulong)seed), fork, CaseGenerator.ContractAddresses).Build(pieces),
        CaseShrinker.ShrinkProgram);

    /// <summary>Raw byte programs.</summary>
    public static Arbitrary<FuzzProgram> RawPrograms() => Arb.From(
        from seed in Gen.Choose(0, int.MaxValue)
        select new ProgramBuilder(new FuzzRandom((ulong)seed), Fork.Osaka, CaseGenerator.ContractAddresses).BuildRaw(300),
        CaseShrinker.ShrinkProgram);
}
