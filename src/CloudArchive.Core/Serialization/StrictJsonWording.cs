using System.Text.Json;

namespace CloudArchive.Core.Serialization;

/// <summary>
/// The messages a <see cref="StrictJsonReader"/> reports its findings with. Each document family keeps its own
/// wording (its errors are part of its interface); none may quote the offending value, which can be patient data.
/// </summary>
public sealed record StrictJsonWording
{
    /// <summary>The document is not JSON (the exception carries line and byte position).</summary>
    public required Func<JsonException, string> InvalidJson { get; init; }

    /// <summary>A value that must be an object is of this kind.</summary>
    public required Func<JsonValueKind, string> NotAnObject { get; init; }

    /// <summary>An object has a property outside the allowed ones (given in the caller's order).</summary>
    public required Func<IReadOnlyCollection<string>, string> UnknownProperty { get; init; }

    /// <summary>A required property is absent or null.</summary>
    public required string Missing { get; init; }

    /// <summary>A value that must be a string is of this kind.</summary>
    public required Func<JsonValueKind, string> NotAString { get; init; }

    /// <summary>A value that must be true or false is of this kind.</summary>
    public required Func<JsonValueKind, string> NotABoolean { get; init; }

    /// <summary>A value that must be an array of strings is of this kind.</summary>
    public required Func<JsonValueKind, string> NotAnArrayOfStrings { get; init; }

    /// <summary>A required string is empty or white space; null when such strings are accepted.</summary>
    public string? EmptyString { get; init; }

    /// <summary>An array of strings has no item where one is needed.</summary>
    public string EmptyArray { get; init; } = "must not be empty";
}
