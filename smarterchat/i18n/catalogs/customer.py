"""What the customer is told by the service itself (joined, waiting, closing, survey), the
holidays offered on /settings, and the errors of the organisation settings and web chat
limits."""

from __future__ import annotations

from smarterchat.i18n.catalog import Catalog

CATALOG: Catalog = {
    # The thread line of a conversation the customer reopened by writing again
    "event.customer_reopen": {"pt-BR": "O cliente voltou a escrever e a conversa foi reaberta", "en": "The customer wrote again and the conversation was reopened"},
    # Sent to the customer
    "customer.joined": {"pt-BR": "{name} entrou na conversa.", "en": "{name} joined the conversation."},
    "customer.back_to_ai": {
        "pt-BR": "Você voltou a falar com a assistente virtual. Se precisar, é só pedir uma pessoa.",
        "en": "You are talking to the virtual assistant again. Ask for a person any time.",
    },
    "customer.waiting": {
        "pt-BR": "Todas as pessoas da nossa equipe estão ocupadas agora. Você já está na fila e vamos responder aqui mesmo.",
        "en": "Everyone on our team is busy right now. You are in the queue and we will answer right here.",
    },
    "customer.queue_position": {"pt-BR": "Sua posição na fila: {position}.", "en": "Your place in the queue: {position}."},
    "customer.back_at": {"pt-BR": "Voltamos {when}.", "en": "We are back {when}."},
    "customer.when_today": {"pt-BR": "hoje às {time}", "en": "today at {time}"},
    "customer.when_tomorrow": {"pt-BR": "amanhã às {time}", "en": "tomorrow at {time}"},
    "customer.when_day": {"pt-BR": "{day} às {time}", "en": "on {day} at {time}"},
    "customer.when_date": {"pt-BR": "em {date} às {time}", "en": "on {date} at {time}"},
    "customer.day.0": {"pt-BR": "segunda-feira", "en": "Monday"},
    "customer.day.1": {"pt-BR": "terça-feira", "en": "Tuesday"},
    "customer.day.2": {"pt-BR": "quarta-feira", "en": "Wednesday"},
    "customer.day.3": {"pt-BR": "quinta-feira", "en": "Thursday"},
    "customer.day.4": {"pt-BR": "sexta-feira", "en": "Friday"},
    "customer.day.5": {"pt-BR": "sábado", "en": "Saturday"},
    "customer.day.6": {"pt-BR": "domingo", "en": "Sunday"},
    "customer.closing": {
        "pt-BR": "Seu atendimento foi encerrado. Obrigado pelo contato! Se precisar, é só escrever.",
        "en": "This conversation is closed. Thank you for reaching out! Write any time you need us.",
    },
    "customer.survey_question": {
        "pt-BR": "Como você avalia este atendimento?",
        "en": "How would you rate this conversation?",
    },
    "customer.survey_bad": {"pt-BR": "😞 Ruim", "en": "😞 Bad"},
    "customer.survey_ok": {"pt-BR": "😐 Regular", "en": "😐 Okay"},
    "customer.survey_good": {"pt-BR": "😀 Ótimo", "en": "😀 Great"},
    "customer.survey_thanks": {"pt-BR": "Obrigado pela sua avaliação!", "en": "Thank you for your rating!"},
    # The web chat page
    "chat.attach": {"pt-BR": "Enviar foto ou documento", "en": "Send a photo or document"},
    "chat.typing": {"pt-BR": "{name} está digitando…", "en": "{name} is typing…"},
    "chat.length_hint": {"pt-BR": "Até {max} caracteres por mensagem.", "en": "Up to {max} characters per message."},
    "chat.rate_star": {"pt-BR": "{count} de 5 estrelas", "en": "{count} of 5 stars"},
    "chat.rate_comment": {"pt-BR": "Quer deixar um comentário? (opcional)", "en": "Want to leave a comment? (optional)"},
    "chat.rated": {"pt-BR": "Você avaliou com {count} de 5 estrelas. Obrigado!", "en": "You rated {count} of 5 stars. Thank you!"},
    "chat.privacy_title": {"pt-BR": "Privacidade", "en": "Privacy"},
    # The organisation's settings form (/settings, admins)
    "orgset.identity_title": {"pt-BR": "Organização", "en": "Organisation"},
    "orgset.logo_url": {"pt-BR": "Endereço do logo (https://)", "en": "Logo address (https://)"},
    "orgset.locale_pt": {"pt-BR": "Português (Brasil)", "en": "Portuguese (Brazil)"},
    "orgset.locale_en": {"pt-BR": "Inglês", "en": "English"},
    "orgset.distribution": {"pt-BR": "Distribuição de conversas", "en": "Conversation distribution"},
    "orgset.mode_round_robin": {"pt-BR": "Automática (rodízio)", "en": "Automatic (round robin)"},
    "orgset.mode_manual": {"pt-BR": "Manual", "en": "Manual"},
    "orgset.capacities_link": {"pt-BR": "Capacidade de cada atendente: na fila", "en": "Each consultant's capacity: on the queue page"},
    "orgset.hours_title": {"pt-BR": "Horário de atendimento", "en": "Business hours"},
    "orgset.hours_help": {
        "pt-BR": "Faixas por dia no fuso da organização, separadas por vírgula (intervalo = pausa). Dia vazio: fechado. 22:00-02:00 passa da meia-noite. Todos vazios: sempre aberto.",
        "en": "Spans per day in the organisation's time zone, comma-separated (a gap is a break). Empty day: closed. 22:00-02:00 runs past midnight. All empty: always open.",
    },
    "orgset.holidays": {"pt-BR": "Feriados (fechado o dia todo)", "en": "Holidays (closed all day)"},
    "orgset.holidays_help": {"pt-BR": "Uma data por linha, AAAA-MM-DD.", "en": "One date a line, YYYY-MM-DD."},
    "orgset.holiday_year": {"pt-BR": "Ano", "en": "Year"},
    "orgset.add_holidays": {"pt-BR": "Adicionar feriados nacionais", "en": "Add Brazil's national holidays"},
    "orgset.customer_title": {"pt-BR": "O que o cliente recebe", "en": "What the customer receives"},
    "orgset.closing_enabled": {"pt-BR": "Enviar mensagem de encerramento ao resolver", "en": "Send a closing message on resolve"},
    "orgset.survey_enabled": {"pt-BR": "Pedir avaliação (CSAT) ao resolver", "en": "Ask for a rating (CSAT) on resolve"},
    "orgset.signature_enabled": {"pt-BR": "Nome do atendente nas respostas do WhatsApp e Instagram", "en": "Consultant's name on WhatsApp and Instagram replies"},
    "orgset.show_queue_position": {"pt-BR": "Dizer a posição na fila enquanto espera", "en": "Tell the place in the queue while waiting"},
    "orgset.closing_message": {"pt-BR": "Mensagem de encerramento", "en": "Closing message"},
    "orgset.waiting_message": {"pt-BR": "Aviso de espera (ninguém disponível)", "en": "Waiting notice (nobody available)"},
    "orgset.default_help": {"pt-BR": "Vazio: usamos um texto padrão.", "en": "Empty: a default text is used."},
    "orgset.response_target": {"pt-BR": "Primeira resposta de uma pessoa em até (minutos)", "en": "A person's first reply within (minutes)"},
    "orgset.reopen_window": {"pt-BR": "Reabrir se o cliente escrever em até (horas)", "en": "Reopen when the customer writes within (hours)"},
    "orgset.privacy_notice": {"pt-BR": "Aviso de privacidade do chat do site (LGPD)", "en": "Web chat privacy notice (LGPD)"},
    "orgset.privacy_help": {"pt-BR": "Aparece abaixo do campo de mensagem.", "en": "Shown under the message box."},
    "orgset.saved": {"pt-BR": "Configurações salvas.", "en": "Settings saved."},
    # Switching a live channel off
    "channel.switch_off_title": {"pt-BR": "Desligar {name}?", "en": "Switch {name} off?"},
    "channel.switch_off_body": {
        "pt-BR": "Enquanto estiver desligado, as mensagens dos clientes por este canal não chegam à caixa de entrada e nada é enviado a eles. Você pode ligar de novo a qualquer momento.",
        "en": "While it is off, customers' messages on this channel do not reach the inbox and nothing is sent to them. You can switch it back on at any time.",
    },
    "channel.switch_off_confirm": {"pt-BR": "Desligar o canal", "en": "Switch the channel off"},
    # Meta's connection errors, with what to do
    "error.meta_token": {
        "pt-BR": "O token de acesso foi recusado pela Meta (vencido ou revogado). Gere um token permanente de usuário do sistema no Gerenciador de Negócios e cole-o aqui. Detalhe: {detail}",
        "en": "Meta refused the access token (expired or revoked). Create a permanent system-user token in Business Manager and paste it here. Detail: {detail}",
    },
    "error.meta_permission": {
        "pt-BR": "O token não tem permissão para esta conta. Dê ao usuário do sistema acesso ao ativo (número ou conta do Instagram) com as permissões de mensagens. Detalhe: {detail}",
        "en": "The token has no permission for this account. Give the system user access to the asset (number or Instagram account) with the messaging permissions. Detail: {detail}",
    },
    "error.meta_wrong_id": {
        "pt-BR": "A Meta não encontrou esta conta. Confira o ID do número de telefone (ou da conta do Instagram) e o ID da conta do WhatsApp Business. Detalhe: {detail}",
        "en": "Meta could not find this account. Check the phone number ID (or Instagram account ID) and the WhatsApp Business account ID. Detail: {detail}",
    },
    "error.meta_rate": {
        "pt-BR": "A Meta está limitando os pedidos desta conta agora. Espere alguns minutos e tente de novo. Detalhe: {detail}",
        "en": "Meta is rate-limiting this account right now. Wait a few minutes and try again. Detail: {detail}",
    },
    "error.meta_blocked": {
        "pt-BR": "A Meta bloqueou esta conta temporariamente. Veja os avisos no Gerenciador do WhatsApp / Meta Business Suite. Detalhe: {detail}",
        "en": "Meta has temporarily blocked this account. Check the notices in WhatsApp Manager / Meta Business Suite. Detail: {detail}",
    },
    "error.meta_unreachable": {
        "pt-BR": "Não conseguimos falar com a Meta (sem resposta a tempo). Verifique a conexão do servidor e tente de novo. Detalhe: {detail}",
        "en": "We could not reach Meta (no answer in time). Check the server's connection and try again. Detail: {detail}",
    },
    "error.meta_other": {"pt-BR": "A Meta recusou o pedido: {detail}", "en": "Meta refused the request: {detail}"},
    # Landmarks of the inbox thread, for screen readers
    "inbox.thread_label": {"pt-BR": "Mensagens da conversa", "en": "Conversation messages"},
    "inbox.thread_header_label": {"pt-BR": "Conversa aberta", "en": "Open conversation"},
    # An address that leads nowhere
    "notfound.title": {"pt-BR": "Página não encontrada", "en": "Page not found"},
    "notfound.body": {
        "pt-BR": "Este endereço não existe ou mudou. Confira o link ou volte para o início.",
        "en": "This address does not exist or has moved. Check the link or go back to the start.",
    },
    "notfound.home": {"pt-BR": "Ir para o início", "en": "Go to the start"},
    # Brazilian holidays offered on /settings
    "holiday.new_year": {"pt-BR": "Confraternização Universal", "en": "New Year's Day"},
    "holiday.carnival_monday": {"pt-BR": "Segunda-feira de Carnaval", "en": "Carnival Monday"},
    "holiday.carnival": {"pt-BR": "Carnaval", "en": "Carnival Tuesday"},
    "holiday.good_friday": {"pt-BR": "Sexta-feira Santa", "en": "Good Friday"},
    "holiday.tiradentes": {"pt-BR": "Tiradentes", "en": "Tiradentes Day"},
    "holiday.labour_day": {"pt-BR": "Dia do Trabalho", "en": "Labour Day"},
    "holiday.corpus_christi": {"pt-BR": "Corpus Christi", "en": "Corpus Christi"},
    "holiday.independence": {"pt-BR": "Independência do Brasil", "en": "Independence Day"},
    "holiday.aparecida": {"pt-BR": "Nossa Senhora Aparecida", "en": "Our Lady of Aparecida"},
    "holiday.all_souls": {"pt-BR": "Finados", "en": "All Souls' Day"},
    "holiday.republic": {"pt-BR": "Proclamação da República", "en": "Republic Day"},
    "holiday.black_consciousness": {"pt-BR": "Dia da Consciência Negra", "en": "Black Consciousness Day"},
    "holiday.christmas": {"pt-BR": "Natal", "en": "Christmas Day"},
    # Errors
    "error.invalid_hours": {
        "pt-BR": "Confira os horários: use HH:MM, no máximo 4 faixas por dia, sem sobreposição.",
        "en": "Check the hours: use HH:MM, at most 4 spans a day, none overlapping.",
    },
    "error.invalid_holidays": {"pt-BR": "Confira as datas dos feriados (AAAA-MM-DD).", "en": "Check the holiday dates (YYYY-MM-DD)."},
    "error.invalid_org_name": {"pt-BR": "Informe um nome de 2 a 120 caracteres.", "en": "Enter a name of 2 to 120 characters."},
    "error.invalid_timezone": {"pt-BR": "Fuso horário desconhecido.", "en": "Unknown time zone."},
    "error.invalid_logo_url": {
        "pt-BR": "O logo precisa ser um endereço https:// de até 500 caracteres.",
        "en": "The logo must be an https:// address of up to 500 characters.",
    },
    "error.text_too_long": {"pt-BR": "Um dos textos passa de {max} caracteres.", "en": "One of the texts is over {max} characters."},
    "error.invalid_response_target": {
        "pt-BR": "O tempo de primeira resposta vai de 1 a {max} minutos.",
        "en": "The first-response target is between 1 and {max} minutes.",
    },
    "error.invalid_reopen_window": {
        "pt-BR": "A janela de reabertura vai de 0 a {max} horas.",
        "en": "The reopen window is 0 to {max} hours.",
    },
    "error.invalid_year": {"pt-BR": "Escolha um ano entre 2000 e 2100.", "en": "Choose a year between 2000 and 2100."},
    "error.invalid_rating": {"pt-BR": "Escolha de 1 a 5 estrelas.", "en": "Choose 1 to 5 stars."},
    "error.survey_closed": {
        "pt-BR": "Esta avaliação não está mais aberta.",
        "en": "This survey is no longer open.",
    },
    "error.too_many_chats": {
        "pt-BR": "Muitas conversas novas a partir da sua rede. Tente de novo em {retry_after} s.",
        "en": "Too many new conversations from your network. Try again in {retry_after} s.",
    },
    "error.chat_busy": {
        "pt-BR": "O chat está recebendo mensagens demais agora. Tente de novo em {retry_after} s.",
        "en": "The chat is receiving too many messages right now. Try again in {retry_after} s.",
    },
}
