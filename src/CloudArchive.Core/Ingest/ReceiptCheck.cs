namespace CloudArchive.Core.Ingest;

/// <summary>The outcome of checking a write against its receipt: null <see cref="Problem"/> when verified.</summary>
internal sealed record ReceiptCheck(string? Problem)
{
    public static ReceiptCheck Verified { get; } = new((string?)null);
}
