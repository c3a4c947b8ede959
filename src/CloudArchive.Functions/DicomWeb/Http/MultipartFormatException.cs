namespace CloudArchive.Functions.DicomWeb.Http;

/// <summary>The request body is not a well-formed <c>multipart/related</c> body (answered 400). Messages never echo input.</summary>
public sealed class MultipartFormatException(string message, Exception? inner = null) : Exception(message, inner);
