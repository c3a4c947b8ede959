namespace CloudArchive.Functions.DicomWeb.Http;

/// <summary>The request's media type is not the one the resource accepts (answered 415). Messages never echo input.</summary>
public sealed class MultipartMediaTypeException(string message) : Exception(message);
