using System.Buffers;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>
/// The pool for block and read-chunk buffers (megabytes each). <see cref="ArrayPool{T}.Shared"/> keeps a returned
/// array in the returning thread's local slot; with async continuations hopping between thread-pool threads, a long
/// upload then finds those slots empty and allocates fresh multi-megabyte arrays, each of which stays cached by some
/// thread (measured: a 1 GiB upload allocated ~95 MiB of buffers for 5 in use). One locked pool hands back the same
/// few arrays whichever thread asks, so what it retains is the peak number in use at once.
/// </summary>
internal static class BlobBufferPool
{
    /// <summary>Arrays up to 1 GiB are pooled (larger configured blocks are allocated and dropped).</summary>
    public static readonly ArrayPool<byte> Instance = ArrayPool<byte>.Create(maxArrayLength: 1024 * 1024 * 1024, maxArraysPerBucket: 64);
}
