namespace CloudArchive.Core.Lifecycle;

/// <summary>A stored lifecycle document and the ETag a replacement must match.</summary>
/// <param name="Content">The JSON bytes.</param>
/// <param name="ETag">The version read.</param>
public sealed record LifecycleDocument(ReadOnlyMemory<byte> Content, string ETag);
