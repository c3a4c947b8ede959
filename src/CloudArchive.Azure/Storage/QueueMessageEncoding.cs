namespace CloudArchive.Azure.Storage;

/// <summary>How queue message text is put on the wire.</summary>
public enum QueueMessageEncoding
{
    /// <summary>
    /// UTF-8 text base64-encoded; what the Azure Functions queue trigger expects by default, and safe for
    /// any text (including characters that are not valid in XML).
    /// </summary>
    Base64 = 0,

    /// <summary>The text itself (XML-escaped on the wire). Fails for text with characters XML 1.0 cannot carry.</summary>
    Raw = 1,
}
