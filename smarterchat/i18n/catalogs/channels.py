"""The list of channels and one channel's page."""

from __future__ import annotations

from smarterchat.i18n.catalog import Catalog

CATALOG: Catalog = {
    "channels.title": {"pt-BR": "Canais", "en": "Channels"},
    "channels.subtitle": {
        "pt-BR": "Onde seus clientes falam com você: WhatsApp, Instagram e o chat do seu site.",
        "en": "Where your customers reach you: WhatsApp, Instagram and your website's chat.",
    },
    "channels.read_only": {
        "pt-BR": "Você pode ver os canais; apenas administradores podem alterá-los.",
        "en": "You can see the channels; only admins can change them.",
    },
    "channels.add": {"pt-BR": "Adicionar canal", "en": "Add channel"},
    "channels.add_title": {"pt-BR": "Adicionar canal", "en": "Add a channel"},
    "channels.add_submit": {"pt-BR": "Criar canal", "en": "Create channel"},
    "channels.kind": {"pt-BR": "Tipo de canal", "en": "Channel type"},
    "channels.kind_whatsapp_help": {
        "pt-BR": "Número do WhatsApp Business pela API oficial da Meta (Cloud API).",
        "en": "A WhatsApp Business number through Meta's official Cloud API.",
    },
    "channels.kind_instagram_help": {
        "pt-BR": "Mensagens diretas de uma conta profissional do Instagram.",
        "en": "Direct messages to an Instagram professional account.",
    },
    "channels.kind_webchat_help": {
        "pt-BR": "Uma janela de chat para o seu site, sem conta na Meta.",
        "en": "A chat window for your website, no Meta account needed.",
    },
    "channels.name": {"pt-BR": "Nome do canal", "en": "Channel name"},
    "channels.name_help": {
        "pt-BR": "Só para a sua equipe, por exemplo \u201cWhatsApp Vendas\u201d.",
        "en": "For your team only, for example \u201cSales WhatsApp\u201d.",
    },
    "channels.phone_number_id": {"pt-BR": "ID do número de telefone", "en": "Phone number ID"},
    "channels.phone_number_id_help": {
        "pt-BR": "No painel da Meta: WhatsApp > Configuração da API. Só números.",
        "en": "In Meta's dashboard: WhatsApp > API Setup. Digits only.",
    },
    "channels.waba_id": {"pt-BR": "ID da conta do WhatsApp Business", "en": "WhatsApp Business Account ID"},
    "channels.waba_id_help": {
        "pt-BR": "Necessário para sincronizar os modelos de mensagem (templates).",
        "en": "Needed to sync your message templates.",
    },
    "channels.instagram_id": {"pt-BR": "ID da conta do Instagram", "en": "Instagram account ID"},
    "channels.instagram_id_help": {
        "pt-BR": "O ID numérico da conta profissional, no painel da Meta.",
        "en": "The professional account's numeric ID, from Meta's dashboard.",
    },
    "channels.access_token": {"pt-BR": "Token de acesso", "en": "Access token"},
    "channels.app_secret": {"pt-BR": "Chave secreta do app", "en": "App secret"},
    "channels.secrets_help": {
        "pt-BR": "Guardados criptografados. Depois de salvos, nunca são exibidos de novo.",
        "en": "Stored encrypted. Once saved they are never shown again.",
    },
    "channels.agent": {"pt-BR": "Agente de IA que responde", "en": "AI agent answering"},
    "channels.no_agent": {"pt-BR": "Nenhum (só a equipe responde)", "en": "None (only the team answers)"},
    "channels.agent_none_short": {"pt-BR": "Sem agente de IA", "en": "No AI agent"},
    "channels.created": {"pt-BR": "Canal criado.", "en": "Channel created."},
    "channels.empty_title": {"pt-BR": "Nenhum canal ainda", "en": "No channels yet"},
    "channels.empty_body": {
        "pt-BR": "Conecte um número de WhatsApp, uma conta do Instagram ou crie um chat para o seu site. As conversas chegam na caixa de entrada.",
        "en": "Connect a WhatsApp number, an Instagram account or create a chat for your website. Conversations arrive in the inbox.",
    },
    "channels.open": {"pt-BR": "Abrir {name}", "en": "Open {name}"},
    "channels.failed_title": {"pt-BR": "Eventos com falha", "en": "Failed events"},
    "channels.failed_help": {
        "pt-BR": "Mensagens recebidas da Meta que não puderam ser processadas. Elas ficam guardadas com o erro para análise e não são tentadas de novo.",
        "en": "Messages received from Meta that could not be processed. They are kept with their error for review and are not retried.",
    },
    "channels.failed_none": {"pt-BR": "Nenhum evento com falha. Tudo em ordem.", "en": "No failed events. All good."},
    "channels.failed_attempts": {"pt-BR": {"one": "{count} tentativa", "other": "{count} tentativas"},
                                 "en": {"one": "{count} attempt", "other": "{count} attempts"}},
    "channels.unknown_channel": {"pt-BR": "Canal removido", "en": "Removed channel"},
    "channels.no_error_text": {"pt-BR": "(sem mensagem de erro)", "en": "(no error message)"},
    # ------------------------------------------------------------ one channel
    "channel.back": {"pt-BR": "Todos os canais", "en": "All channels"},
    "channel.created_next": {
        "pt-BR": "Canal criado. Siga os passos abaixo para começar a receber mensagens.",
        "en": "Channel created. Follow the steps below to start receiving messages.",
    },
    "channel.status_title": {"pt-BR": "Canal ativo", "en": "Channel active"},
    "channel.status_on_help": {
        "pt-BR": "Recebendo mensagens e respondendo.",
        "en": "Receiving messages and answering.",
    },
    "channel.status_off_help": {
        "pt-BR": "Desativado: mensagens novas são ignoradas e nada é enviado.",
        "en": "Off: new messages are ignored and nothing is sent.",
    },
    "channel.enabled": {"pt-BR": "Canal ativado.", "en": "Channel turned on."},
    "channel.disabled": {"pt-BR": "Canal desativado.", "en": "Channel turned off."},
    "channel.settings": {"pt-BR": "Configurações", "en": "Settings"},
    "channel.credentials": {"pt-BR": "Credenciais da Meta", "en": "Meta credentials"},
    "channel.look": {"pt-BR": "Janela do chat", "en": "Chat window"},
    "channel.look_title": {"pt-BR": "Título", "en": "Title"},
    "channel.look_title_help": {"pt-BR": "Aparece no topo da janela. Vazio: o nome da organização.", "en": "Shown at the top of the window. Empty: the organisation's name."},
    "channel.look_greeting": {"pt-BR": "Saudação", "en": "Greeting"},
    "channel.look_greeting_help": {"pt-BR": "A primeira mensagem que o visitante vê. Vazia: a saudação do agente.", "en": "The first message a visitor sees. Empty: the agent's greeting."},
    "channel.look_greeting_placeholder": {"pt-BR": "Olá! Como podemos ajudar?", "en": "Hello! How can we help?"},
    "channel.replace_help": {
        "pt-BR": "Deixe em branco para manter o valor atual. Preencha só para substituir.",
        "en": "Leave empty to keep the current value. Fill in only to replace it.",
    },
    "channel.current_value": {"pt-BR": "Atual: {hint}", "en": "Current: {hint}"},
    "channel.not_set": {"pt-BR": "não definido", "en": "not set"},
    "channel.new_access_token": {"pt-BR": "Novo token de acesso", "en": "New access token"},
    "channel.new_app_secret": {"pt-BR": "Nova chave secreta do app", "en": "New app secret"},
    "channel.nothing_changed": {"pt-BR": "Nada foi alterado.", "en": "Nothing changed."},
    "channel.identifier": {"pt-BR": "ID na Meta", "en": "ID at Meta"},
    "channel.webhook_title": {"pt-BR": "Webhook", "en": "Webhook"},
    "channel.webhook_help": {
        "pt-BR": "No painel de desenvolvedores da Meta, abra o seu app > {product} > Configuração > Webhooks, cole a URL de retorno e o token de verificação abaixo e clique em \u201cVerificar e salvar\u201d. Depois assine o campo \u201cmessages\u201d.",
        "en": "In Meta's developer dashboard, open your app > {product} > Configuration > Webhooks, paste the callback URL and verify token below and click \u201cVerify and save\u201d. Then subscribe to the \u201cmessages\u201d field.",
    },
    "channel.webhook_url": {"pt-BR": "URL de retorno (callback)", "en": "Callback URL"},
    "channel.verify_token": {"pt-BR": "Token de verificação", "en": "Verify token"},
    "channel.test_title": {"pt-BR": "Testar conexão", "en": "Test connection"},
    "channel.test_help": {
        "pt-BR": "Confere com a Meta se o ID e o token de acesso funcionam.",
        "en": "Checks with Meta that the ID and access token work.",
    },
    "channel.test_button": {"pt-BR": "Testar conexão", "en": "Test connection"},
    "channel.testing": {"pt-BR": "Falando com a Meta…", "en": "Talking to Meta…"},
    "channel.test_ok": {"pt-BR": "Conexão funcionando: {detail}", "en": "Connection works: {detail}"},
    "channel.test_failed": {
        "pt-BR": "A conexão com a Meta falhou. Confira o ID e o token de acesso; o motivo está abaixo.",
        "en": "The connection to Meta failed. Check the ID and the access token; the reason is below.",
    },
    "channel.templates_title": {"pt-BR": "Modelos de mensagem", "en": "Message templates"},
    "channel.templates_help": {
        "pt-BR": "Fora da janela de 24 horas, o WhatsApp só permite mensagens a partir de modelos aprovados pela Meta.",
        "en": "Outside the 24-hour window, WhatsApp only allows messages from templates Meta has approved.",
    },
    "channel.templates_sync": {"pt-BR": "Sincronizar modelos", "en": "Sync templates"},
    "channel.templates_syncing": {"pt-BR": "Buscando modelos na Meta…", "en": "Fetching templates from Meta…"},
    "channel.templates_synced": {
        "pt-BR": {"one": "{count} modelo sincronizado.", "other": "{count} modelos sincronizados."},
        "en": {"one": "{count} template synced.", "other": "{count} templates synced."},
    },
    "channel.templates_empty": {
        "pt-BR": "Nenhum modelo encontrado nesta conta do WhatsApp Business.",
        "en": "No templates found in this WhatsApp Business Account.",
    },
    "channel.templates_not_synced": {
        "pt-BR": "Clique em sincronizar para ver os modelos desta conta.",
        "en": "Click sync to see this account's templates.",
    },
    "channel.template_name": {"pt-BR": "Nome", "en": "Name"},
    "channel.template_language": {"pt-BR": "Idioma", "en": "Language"},
    "channel.template_status": {"pt-BR": "Situação", "en": "Status"},
    "channel.template_category": {"pt-BR": "Categoria", "en": "Category"},
    "channel.widget_title": {"pt-BR": "Chat no seu site", "en": "Chat on your website"},
    "channel.widget_help": {
        "pt-BR": "Compartilhe o link ou cole um dos códigos no HTML do seu site. Os visitantes não precisam de conta.",
        "en": "Share the link or paste one of the snippets into your website's HTML. Visitors need no account.",
    },
    "channel.widget_link": {"pt-BR": "Link público", "en": "Public link"},
    "channel.embed_origins": {"pt-BR": "Sites que podem incorporar o chat",
                              "en": "Sites that may embed the chat"},
    "channel.embed_origins_help": {
        "pt-BR": "Um endereço por linha, como https://www.sualoja.com.br. Outros sites não "
                 "conseguem mostrar o chat dentro das suas páginas; o link público funciona sempre.",
        "en": "One address per line, such as https://www.yourshop.com. Other sites cannot show "
              "the chat inside their pages; the public link always works.",
    },
    "channel.widget_open": {"pt-BR": "Abrir o chat", "en": "Open the chat"},
    "channel.embed_iframe": {"pt-BR": "Incorporar na página", "en": "Embed in a page"},
    "channel.embed_bubble": {"pt-BR": "Botão flutuante", "en": "Floating button"},
    "channel.embed_iframe_help": {
        "pt-BR": "Mostra o chat dentro da página, no lugar onde o código for colado.",
        "en": "Shows the chat inside the page, where the snippet is pasted.",
    },
    "channel.embed_bubble_help": {
        "pt-BR": "Um botão no canto da tela abre o chat. Cole antes de </body>.",
        "en": "A button in the corner of the screen opens the chat. Paste it before </body>.",
    },
    "channel.embed_copy": {"pt-BR": "Copiar código", "en": "Copy snippet"},
    "channel.webchat_no_webhook": {
        "pt-BR": "O chat do site não usa webhook nem credenciais: as mensagens chegam direto pelo SmarterChat.",
        "en": "The web chat needs no webhook or credentials: messages arrive straight through SmarterChat.",
    },
}
