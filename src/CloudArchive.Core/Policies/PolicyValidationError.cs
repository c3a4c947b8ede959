namespace CloudArchive.Core.Policies;

/// <summary>
/// One problem found while loading a policy file: where it is (file and JSON path) and what is wrong.
/// Policy files hold no patient data, so values from the file may be quoted in <see cref="Message"/>.
/// </summary>
/// <param name="Source">The file path (or another label for the text) the error was found in.</param>
/// <param name="Path">A JSONPath-like location inside the document, e.g. <c>$.rules[2].period</c>.</param>
/// <param name="Message">What is wrong and, where it helps, what is expected instead.</param>
public sealed record PolicyValidationError(string Source, string Path, string Message)
{
    /// <summary>Formats the error as <c>source: path: message</c>.</summary>
    public override string ToString() => $"{Source}: {Path}: {Message}";
}
