using Azure;

namespace Newsroom.UnitTests.Edge;

/// <summary>A transport that records each request and answers with a status: Azure Resource Manager, faked at the wire.</summary>
public sealed class RecordingTransport(params int[] statuses) : Newsroom.UnitTests.Search.RecordingPipelineTransport
{
    private int _calls;

    protected override Response Answer(Newsroom.UnitTests.Search.RecordedRequest request) =>
        new Newsroom.UnitTests.Search.FakeResponse(statuses.Length == 0 ? 202 : statuses[Math.Min(Interlocked.Increment(ref _calls) - 1, statuses.Length - 1)], "{}");
}
