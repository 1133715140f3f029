namespace Jevm.Evm;

/// <summary>
/// The Ethereum hard forks that change EVM or transaction rules, oldest first. Forks that only moved the difficulty
/// bomb (Muir Glacier, Arrow Glacier, Gray Glacier) share the rules of the fork before them and have no entry.
/// </summary>
public enum Fork
{
    /// <summary>Frontier (2015).</summary>
    Frontier,
    /// <summary>Homestead: DELEGATECALL, EIP-2/7.</summary>
    Homestead,
    /// <summary>Tangerine Whistle (EIP-150): IO repricing, the 63/64 rule.</summary>
    TangerineWhistle,
    /// <summary>Spurious Dragon (EIP-155/158/160/161/170).</summary>
    SpuriousDragon,
    /// <summary>Byzantium: REVERT, RETURNDATA*, STATICCALL, precompiles 5–8.</summary>
    Byzantium,
    /// <summary>Constantinople: shifts, CREATE2, EXTCODEHASH, EIP-1283.</summary>
    Constantinople,
    /// <summary>Petersburg ("ConstantinopleFix"): Constantinople without EIP-1283.</summary>
    Petersburg,
    /// <summary>Istanbul: EIP-1884, 2200, 2028, 1344, 152, 1108.</summary>
    Istanbul,
    /// <summary>Berlin: EIP-2929 warm/cold access, EIP-2930 access lists, EIP-2565 modexp.</summary>
    Berlin,
    /// <summary>London: EIP-1559, 3198 BASEFEE, 3529 refunds, 3541.</summary>
    London,
    /// <summary>Paris (the Merge): PREVRANDAO.</summary>
    Paris,
    /// <summary>Shanghai: PUSH0, EIP-3651, EIP-3860.</summary>
    Shanghai,
    /// <summary>Cancun: EIP-1153, 4844, 5656, 6780, 7516.</summary>
    Cancun,
    /// <summary>Prague (Pectra): EIP-7702, 7623, 7691, 2537, 2935.</summary>
    Prague,
    /// <summary>Osaka (Fusaka): EIP-7939 CLZ, 7951, 7823, 7883, 7825, 7918.</summary>
    Osaka,
}

/// <summary>
/// A fork transition as the test fixtures name it (e.g. <c>CancunToPragueAtTime15k</c>): <see cref="From"/> before the
/// activation point, <see cref="To"/> from it on. The point is a block number or (from Shanghai on) a timestamp.
/// </summary>
/// <param name="From">The rules before activation.</param>
/// <param name="To">The rules from activation on.</param>
/// <param name="ByTimestamp">True when <paramref name="Activation"/> is a timestamp, false when a block number.</param>
/// <param name="Activation">The first block number or timestamp of <paramref name="To"/>.</param>
public sealed record ForkTransition(Fork From, Fork To, bool ByTimestamp, ulong Activation)
{
    /// <summary>The fork whose rules apply to a block with this number and timestamp.</summary>
    public Fork Resolve(long number, ulong timestamp) =>
        (ByTimestamp ? timestamp : (ulong)Math.Max(0, number)) >= Activation ? To : From;
}

/// <summary>
/// The one place that maps fork names to rules: canonical names, the aliases used by test fixtures, and the fixtures'
/// transition names, which pick a fork from the block's number or timestamp.
/// </summary>
public static class ForkNames
{
    private static readonly Dictionary<string, Fork> s_byName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Frontier"] = Fork.Frontier,
        ["Homestead"] = Fork.Homestead,
        ["TangerineWhistle"] = Fork.TangerineWhistle,
        ["EIP150"] = Fork.TangerineWhistle,
        ["SpuriousDragon"] = Fork.SpuriousDragon,
        ["EIP158"] = Fork.SpuriousDragon,
        ["Byzantium"] = Fork.Byzantium,
        ["Constantinople"] = Fork.Constantinople,
        ["Petersburg"] = Fork.Petersburg,
        ["ConstantinopleFix"] = Fork.Petersburg,
        ["Istanbul"] = Fork.Istanbul,
        ["MuirGlacier"] = Fork.Istanbul,
        ["Berlin"] = Fork.Berlin,
        ["London"] = Fork.London,
        ["ArrowGlacier"] = Fork.London,
        ["GrayGlacier"] = Fork.London,
        ["Paris"] = Fork.Paris,
        ["Merge"] = Fork.Paris,
        ["Shanghai"] = Fork.Shanghai,
        ["Cancun"] = Fork.Cancun,
        ["Prague"] = Fork.Prague,
        ["Osaka"] = Fork.Osaka,
    };

    // The transition networks of ethereum/tests and execution-spec-tests: block 5 before the Merge, timestamp 15000 after.
    private static readonly Dictionary<string, ForkTransition> s_transitions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["FrontierToHomesteadAt5"] = new(Fork.Frontier, Fork.Homestead, false, 5),
        ["HomesteadToDaoAt5"] = new(Fork.Homestead, Fork.Homestead, false, 5), // the DAO fork changed no EVM rule
        ["HomesteadToEIP150At5"] = new(Fork.Homestead, Fork.TangerineWhistle, false, 5),
        ["EIP158ToByzantiumAt5"] = new(Fork.SpuriousDragon, Fork.Byzantium, false, 5),
        ["ByzantiumToConstantinopleAt5"] = new(Fork.Byzantium, Fork.Constantinople, false, 5),
        ["ByzantiumToConstantinopleFixAt5"] = new(Fork.Byzantium, Fork.Petersburg, false, 5),
        ["ConstantinopleFixToIstanbulAt5"] = new(Fork.Petersburg, Fork.Istanbul, false, 5),
        ["IstanbulToBerlinAt5"] = new(Fork.Istanbul, Fork.Berlin, false, 5),
        ["BerlinToLondonAt5"] = new(Fork.Berlin, Fork.London, false, 5),
        ["ParisToShanghaiAtTime15k"] = new(Fork.Paris, Fork.Shanghai, true, 15000),
        ["MergeToShanghaiAtTime15k"] = new(Fork.Paris, Fork.Shanghai, true, 15000),
        ["ShanghaiToCancunAtTime15k"] = new(Fork.Shanghai, Fork.Cancun, true, 15000),
        ["CancunToPragueAtTime15k"] = new(Fork.Cancun, Fork.Prague, true, 15000),
        ["PragueToOsakaAtTime15k"] = new(Fork.Prague, Fork.Osaka, true, 15000),
    };

    /// <summary>Every accepted plain name (canonical names and aliases), canonical names first.</summary>
    public static IReadOnlyCollection<string> Known => s_byName.Keys;

    /// <summary>Every accepted transition name.</summary>
    public static IReadOnlyCollection<string> KnownTransitions => s_transitions.Keys;

    /// <summary>Looks a fork up by plain name, ignoring case (transition names need a block: see <see cref="TryResolve"/>).</summary>
    public static bool TryParse(string name, out Fork fork) => s_byName.TryGetValue(name.Trim(), out fork);

    /// <summary>Looks a transition up by name, ignoring case.</summary>
    public static bool TryParseTransition(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ForkTransition? transition) =>
        s_transitions.TryGetValue(name.Trim(), out transition);

    /// <summary>
    /// The fork whose rules a block with <paramref name="number"/> and <paramref name="timestamp"/> runs under
    /// <paramref name="name"/>: a plain name or alias, or a transition name resolved at the block.
    /// </summary>
    public static bool TryResolve(string name, long number, ulong timestamp, out Fork fork)
    {
        if (TryParse(name, out fork)) return true;
        if (TryParseTransition(name, out var t))
        {
            fork = t.Resolve(number, timestamp);
            return true;
        }
        fork = default;
        return false;
    }

    /// <summary>Looks a fork up by name; an unknown name throws with the list of known ones.</summary>
    public static Fork Parse(string name)
    {
        if (TryParse(name, out var f)) return f;
        throw new ArgumentException(UnknownForkMessage(name));
    }

    /// <summary>"unknown fork 'X'; known forks: …" with every accepted name, for error messages.</summary>
    public static string UnknownForkMessage(string name)
    {
        string transition = TryParseTransition(name, out _) ? " (a transition name needs a block; use it in a fixture's post section)" : "";
        return $"unknown fork '{name}'{transition}; known forks: {string.Join(", ", Enum.GetNames<Fork>())} " +
            "(aliases: EIP150, EIP158, ConstantinopleFix, MuirGlacier, ArrowGlacier, GrayGlacier, Merge; " +
            $"fixture transitions: {string.Join(", ", s_transitions.Keys)})";
    }
}
