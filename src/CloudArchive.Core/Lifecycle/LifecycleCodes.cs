namespace CloudArchive.Core.Lifecycle;

/// <summary>The shape of the short codes the lifecycle accepts from operators (case ids, reason codes): no free text in audit lines.</summary>
public static class LifecycleCodes
{
    /// <summary>Whether <paramref name="value"/> is 1–64 of <c>[A-Za-z0-9._:-]</c>, starting with a letter or digit.</summary>
    public static bool IsCode(string? value) =>
        value is { Length: > 0 and <= 64 } && char.IsAsciiLetterOrDigit(value[0]) && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-');

    /// <summary>Whether <paramref name="value"/> is a lowercase detail code usable as an audit detail value.</summary>
    public static bool IsLowerCode(string? value) => IsCode(value) && value!.All(c => !char.IsAsciiLetterUpper(c));
}
