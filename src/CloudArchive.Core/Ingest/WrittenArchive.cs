namespace CloudArchive.Core.Ingest;

/// <summary>What this process wrote and must find committed; <see cref="ReceiptCheck"/> is set when it was verified from the write's receipt.</summary>
internal sealed record WrittenArchive(long PlainLength, int RegionLength, long RegionCount, long LastRegionStart, string PlainMac, string FirstRegionMac, string LastRegionMac, string EncryptionDataJson, string UploadMac)
{
    public ReceiptCheck? ReceiptCheck { get; init; }
}
