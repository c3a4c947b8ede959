using CloudArchive.Testing.Azurite;
using Xunit;

// One Azurite per test run of this assembly; each test isolates itself with unique container/queue names.
[assembly: AssemblyFixture(typeof(AzuriteFixture))]
