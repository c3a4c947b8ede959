namespace CloudArchive.Core.DicomWeb.Clinical;

/// <summary>
/// A contiguous part of a frame's bytes: either already in memory (a small value the header parse read), or a range of
/// the decrypted instance to fetch with one ranged read.
/// </summary>
/// <param name="Offset">The first byte in the decrypted instance (ignored when <paramref name="Inline"/> is set).</param>
/// <param name="Length">The number of bytes.</param>
/// <param name="Inline">The bytes themselves, when the header parse already holds them.</param>
public sealed record FramePiece(long Offset, long Length, ReadOnlyMemory<byte>? Inline = null);
