using System.Net;

namespace XmppSniff.Echo.Server;

/// <summary>Counts open TCP connections per client address and in all, and says whether one more may stay.</summary>
public sealed class ClientAdmission(int maxPerClient, int maxConnections)
{
    private readonly Dictionary<IPAddress, int> _perClient = [];
    private readonly Lock _lock = new();
    private int _total;

    public int Open
    {
        get { lock (_lock) return _total; }
    }

    /// <summary>Admits the connection and counts it, or returns why it must be refused.</summary>
    public bool TryAdmit(IPAddress client, out string refusal)
    {
        lock (_lock)
        {
            _perClient.TryGetValue(client, out int held);
            if (maxPerClient > 0 && held >= maxPerClient)
            {
                refusal = $"max-per-client {maxPerClient}";
                return false;
            }
            if (maxConnections > 0 && _total >= maxConnections)
            {
                refusal = $"max-connections {maxConnections}";
                return false;
            }
            _perClient[client] = held + 1;
            _total++;
            refusal = "";
            return true;
        }
    }

    public void Release(IPAddress client)
    {
        lock (_lock)
        {
            int held = _perClient[client] - 1;
            if (held == 0) _perClient.Remove(client);
            else _perClient[client] = held;
            _total--;
        }
    }
}
