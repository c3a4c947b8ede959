using Azure.Core.Cryptography;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Tests.Audit;
using CloudArchive.Core.Tests.Keys;
using CloudArchive.Testing.Doubles;
using Xunit;

namespace CloudArchive.Core.Tests.TestDoubles;

/// <summary>
/// Every wrapping test double of this project forwards every member of its port to the wrapped implementation, so a
/// test through it takes production's path; a member added to a port and not forwarded fails here.
/// </summary>
public sealed class WrappingDoublesForwardEveryMemberTests
{
    [Fact]
    public async Task The_lost_response_audit_store_forwards_every_member()
    {
        Assert.Empty(await ForwardingCheck.UnforwardedMembersAsync<IAuditLogStore>(inner => new AuditLogWriterTests.LostResponseStore(inner)));
    }

    [Fact]
    public async Task The_counting_test_kek_forwards_every_member()
    {
        using var kek = new TestKek();

        Assert.Empty(await ForwardingCheck.UnforwardedMembersAsync<IKeyEncryptionKey>(inner => new TestKek.Counting(inner, kek)));
    }
}
