using Xunit;
using CloudArchive.Testing.Azurite;

// One Azurite per test run of this assembly; each test isolates itself with unique container/queue names.
[assembly: AssemblyFixture(typeof(AzuriteFixture))]
