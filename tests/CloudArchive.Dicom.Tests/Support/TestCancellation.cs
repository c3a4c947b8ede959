using Xunit;

namespace CloudArchive.Dicom.Tests.Support;

internal static class TestCancellation
{
    public static CancellationToken Token => TestContext.Current.CancellationToken;
}
