using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Newsroom.Storage;

/// <summary>At start, creates what the code needs when NewsroomStorage:CreateIfNotExists is on (locally; Azure has infra/).</summary>
internal sealed class StorageProvisioner(
    StorageClients clients,
    IOptions<StorageOptions> options,
    ILogger<StorageProvisioner> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.CreateIfNotExists)
        {
            return;
        }
        await clients.CreateAllAsync(cancellationToken);
        StorageLog.Provisioned(log);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

}
