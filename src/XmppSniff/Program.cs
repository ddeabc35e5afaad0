using System.CommandLine;
using XmppSniff.Commands;

var root = new RootCommand("XmppSniff: connections, lifecycles and XMPP stanzas from capture files and live interfaces.")
{
    FlowsCommand.Create(),
    HttpCommand.Create(),
    FollowCommand.Create(),
    SummaryCommand.Create(),
    StanzasCommand.Create(),
    OpenCommand.Create(),
    CaptureCommand.Create(),
    InterfacesCommand.Create(),
    InjectSecretsCommand.Create(),
    EchoServerCommand.Create(),
    EchoClientCommand.Create(),
};
return root.Parse(args).Invoke();
