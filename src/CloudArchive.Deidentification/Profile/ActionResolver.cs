namespace CloudArchive.Deidentification;

/// <summary>
/// Turns a Table E.1-1 row and the enabled options into one <see cref="DeidAction"/>.
/// </summary>
/// <remarks>
/// <para><b>Options.</b> PS3.15 E.1.1: "A requirement for an Option, when implemented, overrides any requirement for the
/// underlying Profile." So when an enabled option has a code in its column, that code replaces the Basic code. When
/// several enabled options have a code for the same row, a retaining code (K) wins over cleaning (C), because the user
/// asked explicitly to retain (in the 2024b table such rows never disagree).</para>
/// <para><b>Compound codes: one rule.</b> The codes Z/D, X/Z, X/D, X/Z/D mean "the weaker action unless the stronger is
/// required to keep the IOD conformant (Type 3 / 2 / 1)". This de-identifier has no IOD module tables, so it cannot
/// know the Type of an attribute in the instance's IOD. It therefore always takes the <i>conformance-preserving</i>
/// choice, the rightmost code: X/Z → Z, X/D → D, Z/D → D, X/Z/D → D. This is never less private than removing:
/// Z writes no value, and D writes a keyed dummy that carries no original content. For X/Z/U* (Referenced Image
/// Sequence, Source Image Sequence), the conformance-preserving choice is U*: the sequence is kept and the profile is
/// applied to its items, where each contained instance UID is replaced by its keyed mapping (its own row is U), so
/// references stay resolvable and nothing else survives that the profile would not keep elsewhere.
/// A sequence resolved to D keeps exactly one item (the first), de-identified by each attribute's own action, except
/// that inside that item an action that would remove or empty a value is upgraded to D (a keyed dummy), so the item's
/// Type 1 attributes keep a value (e.g. the Verifying Observer Sequence of a verified SR); see the engine and
/// docs/deidentification.md §2.</para>
/// </remarks>
public static class ActionResolver
{
    private static readonly Dictionary<string, DeidAction> Codes = new(StringComparer.Ordinal)
    {
        ["K"] = DeidAction.Keep,
        ["X"] = DeidAction.Remove,
        ["Z"] = DeidAction.Empty,
        ["D"] = DeidAction.Dummy,
        ["C"] = DeidAction.Clean,
        ["U"] = DeidAction.ReplaceUid,
        ["Z/D"] = DeidAction.Dummy,
        ["X/Z"] = DeidAction.Empty,
        ["X/D"] = DeidAction.Dummy,
        ["X/Z/D"] = DeidAction.Dummy,
        ["X/Z/U*"] = DeidAction.Keep,
    };

    /// <summary>Every code the table may contain.</summary>
    public static IReadOnlyCollection<string> KnownCodes => Codes.Keys;

    /// <summary>True when <paramref name="code"/> is one of the action codes of Table E.1-1.</summary>
    public static bool IsKnownCode(string code) => Codes.ContainsKey(code);

    /// <summary>Applies the compound-code rule to one code.</summary>
    /// <exception cref="ArgumentException">Unknown code.</exception>
    public static DeidAction FromCode(string code) =>
        Codes.TryGetValue(code, out var a) ? a : throw new ArgumentException($"Unknown action code '{code}'.", nameof(code));

    /// <summary>The action for <paramref name="row"/> with <paramref name="options"/> enabled.</summary>
    public static ResolvedAction Resolve(ProfileRow row, IReadOnlySet<DeidOption> options)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(options);
        string? chosen = null;
        DeidOption? chosenOption = null;
        foreach (var option in DeidOptionInfo.All)
        {
            if (!options.Contains(option) || !row.OptionCodes.TryGetValue(option, out var code))
            {
                continue;
            }

            if (chosen is null || (code == "K" && chosen != "K"))
            {
                chosen = code;
                chosenOption = option;
            }
        }

        return chosen is null
            ? new ResolvedAction(FromCode(row.BasicCode), row.BasicCode, "basic")
            : new ResolvedAction(FromCode(chosen), chosen, DeidOptionInfo.Key(chosenOption!.Value));
    }
}
