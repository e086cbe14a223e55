"""Offline classifier: deterministic pt-BR/English rules for intent, sentiment and lead signals.

The embedded default (no LLM) and the tests use it, so it must run with no network and no model.
Cues are matched on text folded to lower case without accents, after expanding chat abbreviations.
Cue syntax: a space separates words, `*` ends a word prefix, plain regex groups mark options.

Over 300 lines because the cue lists are data, kept beside the code that reads them so a
rule and its words change together.
"""

from __future__ import annotations

import re
import unicodedata

from smarterchat.backend.ai.types import Classification, Intent, LeadSignals, Sentiment, Temperature

# Brazilian chat shorthand, expanded before matching so lexicons list each word once.
ABBREVIATIONS = {
    "vc": "voce", "vcs": "voces", "voceis": "voces", "qto": "quanto", "qnto": "quanto",
    "qnt": "quanto", "qts": "quantos", "qdo": "quando", "qnd": "quando", "pfv": "por favor",
    "pf": "por favor", "pfvr": "por favor", "obg": "obrigado", "obgd": "obrigado",
    "brigado": "obrigado", "oq": "o que", "q": "que", "tb": "tambem", "tbm": "tambem",
    "hj": "hoje", "msm": "mesmo", "td": "tudo", "blz": "beleza", "pq": "porque", "n": "nao",
    "mto": "muito", "mt": "muito", "qro": "quero", "agr": "agora", "vlw": "valeu",
    "dps": "depois", "ngm": "ninguem", "nd": "nada", "ta": "esta", "eh": "e", "aki": "aqui",
    "zap": "whatsapp", "cmg": "comigo", "wpp": "whatsapp", "pls": "please", "plz": "please", "thx": "thanks",
    "u": "you", "ur": "your",
}

# Function words: they decide the language and do not count as "something else was asked".
STOPWORDS_PT = frozenset(
    "de da do das dos que nao voce voces para pra com uma um os as eu meu minha esta isso tem "
    "quero qual quanto como por favor obrigado oi ola bom boa dia tudo bem sim mais ja ainda foi "
    "vai ate aqui ai no na nos se mesmo muito pela pelo tambem e era o em pro ser estar ou so "
    "preciso".split())
STOPWORDS_EN = frozenset(
    "the is are i you your of and for my me it do does can how what when where please thanks yes "
    "hi hello hey with this that have not don't i'm want there all it's what's any just good "
    "morning afternoon evening lol".split())  # "to" left out: it is also Brazilian "tô"

# ---------------------------------------------------------------- intent lexicons
# Strong cues decide on their own (weight 2); weak ones only tip the balance (weight 1).
HUMAN_PT = (
    "falar com", "conversar com", "atendimento humano", "atendente humano", "suporte humano",
    "ser humano", "pessoa real", "pessoa de verdade", "alguem (ai|da equipe|responsavel)",
    "nao quero (falar com )?(um )?(robo|bot)", "bot nao resolve",
    "me (liga|ligue|ligar|chama|chamar)", "transfer(e|ir|i)?", "transfira",
    "me passa (pra|para|pro)", "passa (pra|para|pro) (um|uma|o|a)", "quero gente",
    "(em|entrar em) contato com", "(passar|passa|manda) o contato",
    "telefone (pra|para) (eu )?ligar", "no telefone", "por telefone", "(uma )?ligacao",
    "cade (o|a|os|as) \\w+", "chamar (o|a) ",
)
HUMAN_EN = (
    "talk (to|with)", "speak (to|with)", "chat with", "real person", "a human", "human agent",
    "call me", "reach out", "contact me", "someone from", "get me a", "connect me",
    "anyone (actually )?there", "phone call", "live (agent|person)", "put me through",
    "on the (line|phone)",
)
# People the customer may ask for: a request only with a request verb or almost nothing else.
PERSON_NOUNS = (
    # pt-BR
    "atendente", "human*", "pessoa", "consultor*", "vendedor*", "gerente", "supervisor*",
    "responsavel", "dono", "especialista", "alguem", "setor de \\w+", "comercial",
    "equipe de vendas",
    # en
    "agent", "representative", "rep", "manager", "anyone", "anybody", "consultant", "someone", "somebody", "operator",
    "sales team", "person", "customer service",
)
REQUEST_VERBS = (
    # pt-BR
    "quero", "queria", "preciso", "tem como", "pode", "poderia", "disponivel", "por favor",
    "prefiro",
    # en
    "please", "can i", "is there", "i need", "i want", "i'd like", "i'd rather",
)
PURCHASE_STRONG = (
    # pt-BR
    "quero comprar", "comprar", "quanto( \\w+){0,3} (custa|esta|fica|sai|e|cobra*)", "por quanto",
    "quanto (o|a|os|as) \\w+", "(qual|quanto) (e |eh )?(a |o )?(taxa|tarifa)",
    "preco*", "valores", "qual (o|e o) valor", "orcamento", "tabela de precos", "plano*",
    "link de pagamento", "formas? de pagamento", "parcel*", "quantas vezes", "pix", "boleto",
    "desconto", "promocao", "a vista", "fechar", "fechado", "vou levar", "vou querer",
    "quero garantir", "contratar", "contrato", "assinar", "assino", "atacado", "catalogo",
    "encomend*", "vendem", "cupom", "reserv*",
    # en
    "buy*", "purchase", "how much", "rate", "installments", "pric*", "cost*", "quote", "plans?", "discount*", "on sale",
    "send (me )?(the |an )?invoice", "ready to sign", "pay (by|with|for|now|today)",
    "how (do|can) i pay", "(like|want) to order", "place an order", "wholesale", "do you sell",
    "you sell", "i'm sold", "let's do it", "my card", "credit card", "subscribe", "seats",
    "billing", "i'll take", "payment link", "pay via", "fees?", "deals?", "bundles?", "rates",
    "tickets?", "move forward", "get started",
)
PURCHASE_WEAK = (
    # pt-BR
    "valor", "mensalidade", "cartao", "pagar", "pagamento", "caro", "barato", "unidades",
    "transferencia", "cnpj", "dando uma olhada", "so olhando", "preciso de \\d+", "compar*",
    "pacote", "vendo opc*", "voces (fazem|oferecem|trabalham com)", "matricul*",
    "finaliz* (a|o|minha|meu) (compra|pedido)",
    # en
    "just looking", "looking around", "browsing", "cheap", "expensive", "units", "package",
    "researching", "options", "invoice",
)
SUPPORT_STRONG = (
    # pt-BR
    "como (eu )?(faco|faz|posso|acesso|altero|mudo|troco|cancelo|uso)",
    "como (eu )?(vejo|consigo|recupero|emito|baixo|ativo|instalo|configuro)", "como funciona",
    "depois (de|da|do) (comprar|compra|encomend\\w*)",
    "(minha|meu) (matricula|assinatura|compra|conta|reserva|plano|cadastro)", "segunda via",
    "garantia", "nota fiscal", "prazo de entrega", "entreg*", "loja fisica", "devolu*", "rastre*",
    "politica", "horario de", "periodo de teste", "teste gratis",
    # en
    "how (do|can|does) (i|it|the)", "how long", "where is my", "where (can|do) i", "warranty",
    "refund policy", "polic(y|ies)", "opening hours", "free trial", "track*", "ship*",
    "return (an|a|my|the|it)", "after (buying|purchase)",
)
SUPPORT_WEAK = (
    # pt-BR
    "frete", "prazo", "envia*", "enviado", "correios", "transportadora", "retira*", "horario",
    "que horas", "abre*", "troca*", "trocar", "endereco", "onde", "senha", "cadastro", "login",
    "app", "aplicativo", "cancelar", "cancelo", "cancelamento", "certificado", "agend*",
    "presencial", "convenio", "estacionamento", "tamanho", "serve (no|na|em|para|pra)", "integr*",
    "funciona (no|na|com|em)", "quanto tempo", "demora",
    # en
    "deliver*", "arrive", "hours", "open", "exchange", "pick ?up", "in store", "reset", "password",
    "account", "cancel", "address", "parking", "size", "work with", "compatible", "update",
    "download", "change my",
)
COMPLAINT_STRONG = (
    # pt-BR
    "nao funciona", "parou de funcionar", "nao (chegou|recebi|veio|foi entregue|apareceu)",
    "quebrad*", "defeito", "atrasad*", "cobrado errado", "cobranca indevida", "me cobr*",
    "cobraram", "reclama*", "pessim*", "horrivel", "absurdo", "ridiculo", "palhacada", "descaso",
    "falta de respeito", "desrespeito", "vergonha", "lixo", "golpe", "insatisfeit*", "decepcion*",
    "ninguem (me )?(responde|resolve|avisou)", "nao resolve*", "reembolso", "estorno",
    "(valor|dinheiro) de volta", "nao gostei", "da erro", "nunca mais", "sacanagem", "brincadeira",
    "fala serio", "trava*", "(arranh|amass|risc|rasg|manch|desbot|fur)ad*", "tort(o|a)",
    "continua(m)? (cobrando|sem|dando|como)",
    # en
    "not working", "(doesn't|does not|don't) work", "stopped working", "still not", "broken",
    "damaged", "ruined", "torn", "scratched", "dented", "stained", "never (arrived|came)",
    "hasn't arrived", "charged twice", "double charged", "overcharged", "(still )?billed me",
    "want a refund", "money back", "terrible", "awful", "horrible", "worst", "unacceptable",
    "ridiculous", "disappointed", "frustrat*", "not happy", "unhappy",
    "(nobody|no one) (answers|replies|helps)", "still waiting", "still no", "no answer",
    "no reply", "on hold", "keeps crashing", "rude", "scam", "(sent|shipped|gave) (me )?the wrong",
    "for nothing", "deleted", "supposed to",
)
COMPLAINT_WEAK = (
    # pt-BR
    "atras*", "cobranca", "cobrando", "erro", "errad*", "problema", "grosso", "mal educado",
    "ainda nao", "ate agora", "e nada", "de novo", "(segunda|terceira) vez", "faltando", "faltou",
    "diferente d(o|a)", "sem avisar", "esperando", "nao da pra", "e agora", "impossivel",
    "toda hora", "remarcad*", "ja paguei", "paguei", "fiz o (pix|pagamento)",
    # en
    "late", "delayed", "wrong", "refund", "crash*", "again", "missing", "rescheduled",
    "(second|third|fourth) time", "already paid",
)
# Asking for a person without saying so: mocking the bot, regional calls for somebody,
# "is anybody there?", a named person. They hand off like a direct request.
INDIRECT_HUMAN = (
    # pt-BR
    "(que|esse|este|eita|affe|o) (robo|robozinho|bot|botzinho|maquina)\\w*",
    "(robo|robozinho|bot|botzinho)\\w* (burro|inutil|nao (entende|resolve|ajuda))",
    "parabens (pro|ao|para o) (bot|robo)\\w*", "nao entende nada", "nao resolve nada",
    "(nao|sem) (me )?ajuda\\w* em nada", "conseguiu nao me ajudar", "gente de verdade",
    "alguem de verdade", "um ser humano", "(bota|poe|coloca|chama) alguem",
    "(tem )?ninguem (pra|para) (me )?(atender|responder|ajudar)", "ninguem (pra|para) atender",
    "tem ninguem", "ninguem (ai|aqui)", "cade (o povo|a equipe|o pessoal|voces|alguem|um ser humano)",
    "(tem )?alguem (ai|vivo|aqui|por ai|ai pra)", "tem gente (ai|aqui)", "alo+",
    "(o|a) (dra?|doutora?|professora?|prof|seu|dona)? ?\\w+( d[aoe])?( \\w+)? (ta|esta) "
    "(ai|atendendo|disponivel|por ai)", "alguem (pra|para) (conversar|falar|atender)",
    "(o|a) \\w+ que me atendeu", "chama (o|a) (dra?|doutora?|seu|dona)? ?\\w+ (pra mim|por favor|aqui)",
    "falar com (ela|ele)",
    # en
    "(useless|stupid|dumb|brilliant|great|what a|another|this) (useless )?(bot|robot|machine)",
    "(bot|robot) is (useless|stupid|dumb)", "you understand nothing",
    "(anyone|anybody|someone|somebody) (there|here|around|home)", "hel+o+ anyone",
    "(speak|talk) (with|to) (her|him)", "(she|he) helped me",
)
# "Am I talking to a bot?": a question about the channel, answered, not a handoff.
BOT_QUESTION = (
    "(voce|isso|aqui|isto)( aqui)? (e|eh|ta|esta) (um |uma )?(robo|bot|ia|maquina|automatic\\w*)",
    "(e|eh) (um |uma )?(robo|bot|maquina)", "(to|estou|tou) falando com (um |uma )?"
    "(robo|bot|maquina|ia|pessoa|gente|humano)",
    "(robo|bot) ou (pessoa|gente|humano)", "(pessoa|gente|humano) ou (robo|bot)",
    "are you (a |an )?(real )?(bot|robot|human|ai|person)", "is this (automated|a bot|a robot|an ai)",
    "am i (talking|chatting|speaking) (to|with) (a |an )?(bot|robot|human|person|real|ai)",
)
# Ending a plan, booking, contract or order; a participle ("a aula foi cancelada") is news,
# and "política de cancelamento" a question.
CANCEL = (
    "(?<!politica de )[ck]ancel(?!ad[oa]s?\\b|led\\b|ed\\b|lation policy)\\w*",
    "rescind\\w*", "rescisao",
    "encerr\\w* (o |a |meu |minha )?(contrato|plano|assinatura|conta|matricula|servico)",
    "desist\\w* (do|da) (plano|curso|contrato|compra|matricula)",
    "terminate", "unsubscribe", "end my (contract|subscription|membership)", "close my account",
)
# What customers do instead of cancelling: moving a date, a smaller plan, a pause.
CANCEL_ALTERNATIVES = (
    "remarc\\w*", "reagend\\w*", "(marcar|mudar|trocar|passar) (pra |para )?(outro|outra) (dia|data|horario)",
    "mudar (o |a )?(horario|data|dia)", "outro dia", "another day", "resched\\w*",
    "downgrade", "(baixar|diminuir|reduzir|mudar|trocar) (pro|para o|pra|o|de) plano",
    "plano (mais barato|menor)", "tranc\\w*", "pausar", "freeze", "pause",
)
# Nothing to act on: acknowledgements, laughter, emoji, a bare question mark, "I'm back".
ACKS = (
    "ok+", "okay", "blz", "beleza", "certo", "ta bom", "ta", "entendi", "ah", "aham", "uhum",
    "sim", "perfeito", "show", "top", "legal", "otimo", "massa", "joia", "de boa", "tranquilo",
    "combinado", "fechou", "isso", "hmm*", "k+", "(ha|he|hi|ah)+h?", "rs+", "(rs)+", "lol",
    "lmao", "kkk*", "got it", "sure", "alright", "cool", "great", "nice", "yes", "yeah", "yep",
    "fine", "i see", "voltei", "de novo", "(com )?(outra|mais uma) (duvida|pergunta)",
    "again", "(another|one more) question", "i have", "tenho", "so", "entao", "e",
)
# The customer says the last answer did not help: the question is still open.
NOT_HELPED = (
    "nao (foi|era|e) (isso|o que)", "nao respondeu", "nao (me )?(ajudou|ajuda|adiantou)",
    "nao (ta|esta) (me )?ajudando", "continua (igual|lenta|lento|o mesmo|a mesma|sem|dando)",
    "ja (fiz|tentei) isso", "de novo nao", "ainda nao (sei|entendi|respondeu)", "sim ou nao",
    "(that|this) (doesn't|does not|didn't) (answer|help)", "(didn't|did not) (answer|help)",
    "still no answer", "not what i asked", "(not|isn't) helping", "yes or no",
    "ainda (nao|sem) resposta",
)
# Accepting the fallback's offer of a person.
YES = ("sim", "quero", "pode ser", "pode", "claro", "por favor", "isso", "yes", "sure", "please",
       "yeah", "yep", "ok pode")
# Threats to escalate outside the chat: a person must take over even if none was asked for.
ESCALATION = (
    # pt-BR
    "procon", "reclame aqui", "consumidor gov", "queixa", "advogado", "processar", "justica",
    "ouvidoria", "chargeback", "contestar (a |essa |no )?(compra|cobranca|cartao|banco)",
    "contesta\\w* no (banco|cartao)", "(trocar|mudar) de (operadora|provedor)",
    "outra operadora", "(mudar|ir|trocar) (pra|para|pela) (a )?(vivo|claro|tim|oi|concorrencia)",
    # en
    "lawyer", "sue", "better business bureau", "consumer protection", "ombudsman",
    "dispute the (charge|payment)", "switch\\w* (to )?(another|a different) (provider|company)",
)
GREETING = (
    # pt-BR
    "oi+e{0,3}", "ola", "opa", "e ai", "eai", "bom dia", "boa (tarde|noite)",
    "tudo (bem|bom|certo|joia|tranquilo)", "salve", "obrigad*", "valeu", "beleza", "tchau",
    "ate mais", "era isso",
    # en
    "hi", "hello", "hey", "(good )?(morning|afternoon|evening)", "how are you", "thanks",
    "thank you", "bye", "that's all",
)
# Topics no business agent serves: strong enough to beat a stray "quanto está".
OFF_TOPIC_STRONG = (
    # pt-BR
    "futebol", "jogo d(o|a)", "flamengo", "corinthians", "palmeiras", "santos", "brasileirao",
    "copa", "torce*", "chov*", "previsao", "piada", "meme", "dolar", "bitcoin", "poema",
    "dever de", "matematica", "filme", "novela", "netflix", "musica", "livro", "entediad*", "fome",
    "casad(o|a)", "namorad(o|a)", "favorit(a|o)", "receita d", "sabe fazer", "horoscopo",
    "chatgpt", "president*", "capital d\\w", "quem (e|foi) o", "greve",
    "(indica|recomenda) (um|uma) (filme|musica|serie|livro)",
    # en
    "weather", "joke", "the game", "football", "soccer", "essay", "homework", "movie", "series",
    "song", "meaning of life", "do you like", "are you married", "bored", "hungry",
    "who('s| is| was) the", "favou?rite", "how tall",
)
OFF_TOPIC_WEAK = ("k", "kk", "haha*", "rs", "rsrs", "lol", "lmao")

# A cue built on one of these is a negative statement itself: a "não" before it is emphasis.
NEGATIVE_WORDS = frozenset("ninguem nada nenhum nenhuma nobody nothing".split())
# "no" is left out: it is also Portuguese ("vou no Procon").
NEGATORS = frozenset("nao nem nunca jamais sem not never don't doesn't didn't isn't "
                     "wasn't won't can't".split())
POSITIVE = (
    # pt-BR
    "otimo", "excelente", "adorei", "amei", "gostei", "perfeito", "maravilh*", "obrigad*",
    "parabens", "top", "show", "legal", "incrivel", "satisfeit*", "feliz", "recomendo", "valeu",
    "bom", "boa",
    # en
    "good", "great", "excellent", "love*", "perfect", "amazing", "awesome", "thanks", "thank",
    "happy", "helpful", "nice", "recommend",
)
NEGATIVE = (
    # pt-BR
    "ruim", "pessim*", "horrivel", "absurdo", "lixo", "odiei", "detestei", "atras*", "quebrad*",
    "defeito", "errad*", "problema", "insatisfeit*", "decepcion*", "raiva", "palhacada", "descaso",
    "vergonha", "golpe", "grosso", "desrespeito", "ridiculo",
    # en
    "bad", "terrible", "awful", "horrible", "worst", "hate", "broken", "late", "wrong",
    "unacceptable", "ridiculous", "angry", "disappointed", "useless", "scam", "ruined", "torn",
    "rude",
)
# Words that are neutral on their own and a problem once negated ("não chegou", "doesn't work").
NEGATIVE_WHEN_NEGATED = ("funcion*", "cheg*", "receb*", "resolv*", "respond*", "work*",
                         "arriv*", "help*", "happy")
# Set phrases that contain "bom"/"good" without judging anything.
SALUTATIONS = ("bom dia", "boa (tarde|noite)", "tudo (bem|bom)", "good (morning|afternoon|evening)")
POSITIVE_EMOJI, NEGATIVE_EMOJI = "😊🙏👍❤😍🥰😁👏", "😡😤😠👎😞😢🤬"

# ---------------------------------------------------------------- lead lexicons
# Ready to close: paying, signing, reserving, asking for the next step.
HOT_CUES = (
    # pt-BR
    "fechar", "fechado", "fechou", "bora", "como (eu )?pago", "como faco o pagamento",
    "link de pagamento", "(me )?(passa|manda|envia|gera) o (pix|boleto|link)", "chave pix",
    # not "transferência": "pago por transferência?" asks how to pay (warm)
    "(ja )?transfiro", "vou pagar", "pago (no|na|com|via)", "(gerar|gera|emitir) a cobranca",
    "vou levar", "vou querer", "assinar", "assino", "contrato", "garantir", "separar", "reservar",
    "fazer o pedido", "finaliz* (a|o) (compra|pedido)", "aprovo", "cartao na mao",
    "proximo passo",
    # en
    "ready to", "i'm sold", "let's do it", "i'll take", "pay (by|with|now|today|via|at)",
    "how do i pay", "payment link", "enter my card", "send (me )?(the )?invoice",
    "(like|want) to order", "place an order", "sign (up|today|now)", "move forward", "get started",
    "next step",
)
BUY_VERBS = (
    # pt-BR
    "quero comprar", "comprar", "contratar", "matricular", "reserv(ar|e|a)",
    "preciso de \\d+",
    # en
    "buy", "to order", "reserve", "need \\d+",
)
# Hedges: they cap the message they are in at cold, whatever else it asks.
COLD_CUES = (
    # pt-BR
    "curio*", "so olhando", "dando uma olhada", "pesquisando", "sondando", "por enquanto",
    "nao e pra agora", "nao (to|estou) precisando", "ainda nao decidi", "vendo opc*", "sem pressa",
    "mais pra frente", "talvez", "um dia", "ano que vem", "futuramente", "depois eu vejo",
    "quem sabe", "pra ter uma (base|ideia|nocao)",
    # en
    "just curious", "just looking", "looking around", "browsing", "not buying yet", "not yet",
    "not ready", "maybe", "someday", "next year", "for now", "just wondering", "no rush",
    "researching", "ballpark", "rough (idea|sense)",
)
# Stepping back from a purchase: the lead cools whatever came before.
LATER_CUES = (
    "agora nao", "vou esperar", "vou pensar", "pensando bem", "(deixar|deixo|fica) (pra|para) "
    "(depois|a proxima|proxima|outro dia)", "depois (eu )?(vejo|penso|decido)", "melhor nao",
    "nao vou (levar|comprar|fechar|contratar|marcar|agendar|reservar)",
    "so (pra|para) saber", "actually not", "not now", "i'll think",
    "let me think", "maybe later", "another time",
)
# Stating a need, which ties a deadline to an earlier budget.
NEED_CUES = ("preciso", "precisamos", "quero", "queremos", "tem que", "temos que", "need",
             "want", "have to", "must")
# Asking whether something is sold at all is exploring, not choosing.
AVAILABILITY_CUES = ("vendem", "atacado", "catalogo", "do you sell", "you sell", "wholesale")
PRICE_CUES = tuple(c for c in PURCHASE_STRONG if c not in AVAILABILITY_CUES)
URGENCY = (  # most pressing first; "até agora" and "for now" are not deadlines
    "(?<!ate )(?<!por )(?<!pra )agora|right now|(?<!for )now", "urgente|urgent|asap",
    "hoje|today|tonight", "amanha|tomorrow", "ate (segunda|terca|quarta|quinta|sexta|sabado)",
    "by (monday|tuesday|wednesday|thursday|friday|saturday|sunday)", "(essa|esta) semana|this week",
)
ACCENTS = {"amanha": "amanhã", "ate ": "até ", "terca": "terça", "sabado": "sábado"}
REASONS = {
    "close": ("Quer fechar ou pagar agora", "Ready to close or pay now"),
    "budget": ("Tem orçamento e prazo", "Has a budget and a deadline"),
    "price": ("Perguntou preço, planos ou condições", "Asked about prices, plans or terms"),
    "cold": ("Só pesquisando, sem pressa", "Just browsing, no rush to buy"),
    "budget_only": ("Tem orçamento, sem prazo", "Has a budget, no deadline"),
    "cancel": ("Quer cancelar", "Wants to cancel"),
    "none": ("Sem sinal de compra ainda", "No buying signal yet"),
}


def _pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    # Longest first so "quero comprar" wins over "comprar" in the alternation.
    parts = [re.sub(r"(?<!\\w)\*", r"\\w*", c) for c in sorted(cues, key=len, reverse=True)]
    return re.compile(r"(?<![\w'])(?:" + "|".join(parts) + r")(?![\w'])")


def fold(text: str) -> str:
    """Lower case without accents, one character in for one out, so spans map back to the text."""
    out = []
    for ch in text.replace("’", "'").lower():
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(base[:1] or ch)
    return "".join(out)


def _words(folded: str) -> list[str]:
    folded = folded.replace("c/", "com ").replace("p/", "para ")
    words = re.findall(r"[a-z0-9]+(?:'[a-z]+)?", folded)
    words = [re.sub(r"([a-z])\1{2,}", r"\1", w) for w in words]  # "diaaa", "kkkkk"
    words = [re.sub(r"([aiu])\1$", r"\1", w) for w in words]  # "diaa", "oii"; not "too", "all"
    return " ".join(ABBREVIATIONS.get(w, w) for w in words).split()


def _tokens(text: str) -> list[str]:
    return _words(fold(text))


CLAUSE_BREAK = re.compile(r"[,.;:!?\n]+|\s(?:mas|but|porem|so que)\s")


NO_NEED = re.compile(r"\bno need\b")  # "no" alone is Portuguese too ("no procon")
TITLE_DOT = re.compile(r"\b(dra?|sra?|prof|profa|mr|mrs|ms)\.")


def _clauses(text: str) -> str:
    """Normalised words with " , " between clauses: negation never reaches across one."""
    folded = TITLE_DOT.sub(r"\1", fold(text))  # "Dr. Paulo" is one clause
    folded = NO_NEED.sub("nao precisa", folded)
    parts = [" ".join(_words(part)) for part in CLAUSE_BREAK.split(folded)]
    return " , ".join(p for p in parts if p)


# Small words skipped when looking for a negator: "não quero falar com o financeiro".
FILLERS = frozenset("o a os as um uma com pra para pro de do da me te se to the a an with".split())


def _negated_at(clauses: str, start: int) -> bool:
    """A negator among the three meaningful words before ``start``, in the same clause."""
    before = [w for w in clauses[:start].split(",")[-1].split() if w not in FILLERS]
    return any(w in NEGATORS for w in before[-3:])


def _live(name: str, clauses: str) -> list[str]:
    """Matches of a lexicon that are not negated: no negator in the three words before it
    (same clause), nor a clause-final "não" right after it ("vou trancar não")."""
    found = []
    for match in _P[name].finditer(clauses):
        after = clauses[match.end():].split(",")[0].split()
        if any(w in NEGATORS | NEGATIVE_WORDS for w in match.group().split()):
            pass  # the cue is itself negative ("tem ninguém pra me atender não?")
        elif _negated_at(clauses, match.start()) or after == ["nao"]:
            continue
        found.append(match.group())
    return found


def _negated(name: str, clauses: str) -> bool:
    return bool(_P[name].search(clauses)) and len(_live(name, clauses)) < len(
        _P[name].findall(clauses))


_P = {name: _pattern(cues) for name, cues in {
    "human": HUMAN_PT + HUMAN_EN, "person": PERSON_NOUNS, "request": REQUEST_VERBS,
    "purchase2": PURCHASE_STRONG, "purchase1": PURCHASE_WEAK, "support2": SUPPORT_STRONG,
    "support1": SUPPORT_WEAK, "complaint2": COMPLAINT_STRONG, "indirect": INDIRECT_HUMAN,
    "bot_question": BOT_QUESTION, "cancel": CANCEL, "alternative": CANCEL_ALTERNATIVES,
    "ack": ACKS, "not_helped": NOT_HELPED, "yes": YES, "complaint1": COMPLAINT_WEAK,
    "escalation": ESCALATION, "greeting": GREETING, "off2": OFF_TOPIC_STRONG,
    "off1": OFF_TOPIC_WEAK, "hot": HOT_CUES, "later": LATER_CUES, "need": NEED_CUES,
    "buy": BUY_VERBS, "cold": COLD_CUES,
    "available": AVAILABILITY_CUES, "price": PRICE_CUES, "pos": POSITIVE, "neg": NEGATIVE,
    "negated": NEGATIVE_WHEN_NEGATED, "salutation": SALUTATIONS,
}.items()}


def _count(name: str, norm: str) -> int:
    return len(_P[name].findall(norm))


def detect_language(text: str, history: list[str] | None = None) -> str:
    """pt-BR or en by stopwords; a tie looks at history, then assumes the platform's pt-BR."""
    for sample in (text, " ".join(history or [])):
        words = _tokens(sample)
        pt = sum(w in STOPWORDS_PT for w in words) + 2 * bool(re.search(r"[ãõçêâéí]", sample))
        en = sum(w in STOPWORDS_EN for w in words)
        if pt != en:
            return "pt-BR" if pt > en else "en"
    return "pt-BR"


def _intensity(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    shouting = len(letters) >= 6 and sum(c.isupper() for c in letters) / len(letters) > 0.6
    return 1.5 if shouting or "!!" in text else 1.0


def sentiment(text: str) -> Sentiment:
    """Lexicon score; a negator up to three words before flips a word; caps and "!!" amplify."""
    words = _P["salutation"].sub(" ", " ".join(_tokens(text))).split()
    score = 0.0
    for i, word in enumerate(words):
        negated = any(w in NEGATORS for w in words[max(0, i - 3):i])
        polarity = (_P["pos"].fullmatch(word) is not None) - (_P["neg"].fullmatch(word) is not None)
        if negated and _P["negated"].fullmatch(word):
            score -= 1
        else:
            score += -polarity if negated else polarity
    score += sum(c in POSITIVE_EMOJI for c in text) - sum(c in NEGATIVE_EMOJI for c in text)
    score *= _intensity(text)
    if score >= 1:
        return Sentiment.POSITIVE
    return Sentiment.NEGATIVE if score <= -1 else Sentiment.NEUTRAL


def _scores(norm: str, text: str) -> dict[Intent, float]:
    human = 2 * len(_live("human", norm)) + 2 * len(_live("indirect", norm))
    few_words = len(norm.split()) <= 4
    if _requested_people(norm) and (_live("request", norm) or few_words):
        human += 2
    return {
        Intent.HUMAN_REQUEST: human,
        Intent.COMPLAINT: 2 * _count("complaint2", norm) + _count("complaint1", norm)
        + 2 * len(_live("escalation", norm)),
        Intent.PURCHASE: 2 * _count("purchase2", norm) + _count("purchase1", norm)
        + bool(_budget(text)) + 2 * _count("hot", norm),  # money or closing words: buying
        Intent.SUPPORT: 2 * _count("support2", norm) + _count("support1", norm),
        Intent.OFF_TOPIC: 3 * _count("off2", norm) + _count("off1", norm),
    }


# "sou supervisor", "minha esposa é consultora", "I'm a manager": who someone is, not a request.
IDENTITY = frozenset("sou e eh era como i'm am as is was".split())


def _requested_people(norm: str) -> list[str]:
    people = []
    for match in _P["person"].finditer(norm):
        before = norm[:match.start()].split(",")[-1].split()[-2:]
        if not any(w in IDENTITY for w in before) and not _negated_at(norm, match.start()):
            people.append(match.group())
    return people


def _confidence(top: float, runner_up: float) -> float:
    # One weak cue ~0.45, one strong ~0.67, several ~0.9; a close runner-up pulls it down.
    base = 1 - 0.55 * 0.6 ** (top - 1)
    return round(min(0.97, float(base * (1 - 0.3 * runner_up / top))), 2)


def only_acknowledges(text: str) -> bool:
    """Nothing to act on: "ok", "👍", "?", "kkkk", "bom dia", "voltei com outra dúvida"."""
    norm = _clauses(text)
    rest = _P["ack"].sub(" ", _P["greeting"].sub(" ", norm)).replace(",", " ").split()
    return not [w for w in rest if w not in STOPWORDS_PT | STOPWORDS_EN]


def wants_to_cancel(text: str, exceptions: tuple[str, ...] | list[str] = ()) -> bool:
    """Cancelling a plan, booking, contract or order, not negated ("não quero cancelar"),
    not an alternative to cancelling (reschedule, a smaller plan, a pause) and not one of
    the cases the admin stated the agent handles itself (``exceptions``)."""
    norm = _clauses(text)
    if not _live("cancel", norm) or _negated("cancel", norm) or _live("alternative", norm):
        return False
    return not any(_phrase(e).search(norm) for e in exceptions if e.strip())


def _phrase(phrase: str) -> re.Pattern[str]:
    """An admin's word or phrase as whole words, folded, any spacing."""
    words = _words(fold(phrase))
    return re.compile(r"(?<![\w'])" + r"\s+".join(map(re.escape, words)) + r"(?![\w'])")


def classify(text: str, history: list[str] | None = None, *,
             cancellation_exceptions: tuple[str, ...] | list[str] = ()) -> Classification:
    """Intent, handoff wish, sentiment, confidence and lead signals for one customer message."""
    norm = _clauses(text)
    language = detect_language(text, history)
    lead = extract_lead([*(history or []), text])
    mood = sentiment(text)
    if only_acknowledges(text):
        return Classification(intent=Intent.GREETING, wants_human=False, sentiment=mood,
                              confidence=0.8, lead=lead, language=language)
    if _P["bot_question"].search(norm):  # "are you a bot?" is a question, not a request
        norm = _P["bot_question"].sub(" ", _P["bot_question"].sub(" ", norm))
        norm = re.sub(r"\b(ou|or) (uma |um |a |an )?(pessoa|gente|humano|human|person|real "
                      r"person|ai|bot|robo)\b", " ", norm)
        if only_acknowledges(norm):
            return Classification(intent=Intent.OFF_TOPIC, wants_human=False, sentiment=mood,
                                  confidence=0.6, lead=lead, language=language)
    scores = _scores(norm, text)
    human = scores.pop(Intent.HUMAN_REQUEST)
    threat = bool(_live("escalation", norm))
    wants_human = human > 0 or threat
    complaint = scores[Intent.COMPLAINT]
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])  # stable: ties keep the dict order
    (intent, top), (_, second) = ranked[0], ranked[1]
    if human and not (complaint >= 2 or (complaint and _intensity(text) > 1)):
        # Asking for a person settles it, whatever else is said; a strong complaint that
        # demands a person stays a complaint (routed to a person all the same).
        intent, top, second = Intent.HUMAN_REQUEST, human, 0
    elif wants_to_cancel(text, cancellation_exceptions):
        intent, top, second = Intent.CANCELLATION, 4, 0
    elif _live("cancel", norm) and (_live("alternative", norm) or _negated("cancel", norm)):
        intent, top, second = Intent.SUPPORT, max(top, 2), 0  # reschedule, downgrade, pause
    if top > 0:
        confidence = _confidence(top, second)
        if intent is Intent.COMPLAINT and mood is Sentiment.NEUTRAL and (complaint >= 2
                                                                          or threat):
            mood = Sentiment.NEGATIVE  # a real complaint is never neutral, even in flat words
    elif only_acknowledges(text) or (_negated("human", norm) and only_acknowledges(
            _P["human"].sub(" ", norm))):
        intent, confidence = Intent.GREETING, 0.8  # "ok", "👍", "não precisa chamar ninguém"
    else:
        intent, confidence = _fallback(norm, text, mood)
    if intent is Intent.CANCELLATION:
        lead.temperature, lead.reason = Temperature.COLD, REASONS["cancel"][language == "en"]
    return Classification(intent=intent, wants_human=wants_human, sentiment=mood,
                          confidence=confidence, lead=lead, language=language)


def answer_did_not_help(text: str) -> bool:
    """ "Não foi isso que perguntei", "that doesn't answer my question"."""
    return bool(_P["not_helped"].search(_clauses(text)))


def accepts(text: str) -> bool:
    """A yes to an offer ("sim", "pode ser", "yes please"), and nothing else asked."""
    norm = _clauses(text)
    return bool(_live("yes", norm)) and not _negated("yes", norm) and only_acknowledges(
        _P["yes"].sub(" ", norm))


def _fallback(norm: str, text: str, mood: Sentiment) -> tuple[Intent, float]:
    """No business cue: a pure greeting, an unhappy customer, a guessed support question, noise."""
    rest = _P["greeting"].sub(" ", norm).replace(",", " ").split()
    content = [w for w in rest if w not in STOPWORDS_PT | STOPWORDS_EN]
    greetings = _count("greeting", norm)
    if greetings and len(content) < 3:
        return Intent.GREETING, round(min(0.9, 0.6 + 0.1 * greetings), 2)
    known = [w for w in norm.split() if w in STOPWORDS_PT | STOPWORDS_EN]
    if mood is Sentiment.NEGATIVE:
        return Intent.COMPLAINT, 0.35
    if re.match(r"(quem|who)\b", norm):
        return Intent.OFF_TOPIC, 0.3  # customers rarely ask "who" about a product
    if ("?" in text and (known or _ASKS_BUSINESS.search(norm))) or _WANTS_TO_KNOW.search(norm):
        # Most unmatched questions are about the product ("fazem adestramento?", "só quero
        # saber se ..."); retrieval answers or abstains.
        return Intent.SUPPORT, 0.4
    if only_contact(text):
        return Intent.GREETING, 0.6  # "me chamo Roberto", "meu e-mail é ...": no request
    return Intent.OFF_TOPIC, 0.25 if known else 0.1


# A question put to the business, or a request for information without a question mark.
_ASKS_BUSINESS = re.compile(r"\b(vcs?|voces?|ces|fazem|faz|vendem|vende|aceitam?|atendem?|"
                            r"trabalham|tem|teria|you|your)\b")
_WANTS_TO_KNOW = re.compile(r"\b((so |just )?(quero|queria|gostaria de|preciso) saber|me (fala|diz|"
                            r"informa|confirma)|(want|need|like) to know|(just )?tell me)\b")
_CONTACT_INTRO = re.compile(r"\b(meu nome e|me chamo|sou (o |a )?|aqui e (o |a )?|my name is|i'm|"
                            r"i am|meu (e-?mail|email|whats(app)?|zap|cel(ular)?|telefone|numero)"
                            r"( e)?|my (e-?mail|email|phone|number)( is)?|e-?mail|email|whats|cel)\b")


def only_contact(text: str) -> bool:
    """Only a name, an e-mail or a phone given: the details, not a request."""
    lead = extract_lead([text])
    if not (lead.name or lead.email or lead.phone):
        return False
    rest = _PHONE_BR.sub(" ", _EMAIL.sub(" ", text))
    for value in (lead.name, lead.company):
        if value:
            rest = re.sub(re.escape(value), " ", rest, flags=re.IGNORECASE)
    return only_acknowledges(_CONTACT_INTRO.sub(" ", _clauses(rest)))


# ---------------------------------------------------------------- lead extraction
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_BR = re.compile(  # +55 (11) 91234-5678, 11 91234-5678, 1134567890, 91234-5678
    r"(?<![\d+])(?:\+?55[\s.-]?)?(?:\(?\d{2}\)?[\s.-]?)?9?\d{4}[\s.-]?\d{4}(?!\d)")
_PHONE_INTL = re.compile(r"\+\d{1,3}(?:[\s.-]?\(?\d{2,5}\)?){2,4}")
_MONEY = re.compile(
    r"(?:(?:ate|uns|umas|cerca de|por volta de|no maximo|up to|around|about|under)\s)?"
    r"(?:(?:r\$|us\$|\$|€)\s?\d[\d.,]*(?:\s?(?:mil|k))?|\d[\d.,]*\s?(?:mil|k)(?![\w])"
    r"(?!\s?(?:km|quilometros|metros|m\b|kg|pessoas|habitantes|seguidores|unidades))"
    r"(?:\s(?:reais|dolares))?|\d[\d.,]*\s?(?:reais|dolares|dollars|bucks|usd|brl)(?![\w]))")
# "budget of 3000", "orçamento de 10 mil": a bare number becomes money after these words.
_BUDGET_WORD = re.compile(r"\b(?:budget|orcamento)\s(?:(?:is|of|de|e|around|about|uns)\s){0,2}"
                          r"(\d[\d.,]*(?:\s?(?:mil|k)\b)?)")
_NAME_STRONG = re.compile(r"\b(?:meu nome e|me chamo|my name is|aqui e (?:o|a))\s+([a-z][a-z']+"
                          r"(?:\s(?!e\b|and\b|da\b|de\b|do\b)[a-z][a-z']+)?)")
# "sou a Maria", "I'm John": only a capitalised word, or "sou o dono" would be a name.
_NAME_WEAK = re.compile(r"\b(?i:sou (?:o|a)|i'm|i am|this is)\s+"
                        r"([A-ZÀ-Ý][\wÀ-ÿ']+(?:\s[A-ZÀ-Ý][\wÀ-ÿ']+)?)")
_NAME_TAIL = r"(?:\s(?!D[aoe]s?\b)[A-ZÀ-Ý][\wÀ-ÿ']+)?"
_COMPANY_TAIL = r"(?:\s+d[aoe]s?\s+([A-ZÀ-Ý][\wÀ-ÿ&'-]+(?:\s[A-ZÀ-Ý][\wÀ-ÿ&'-]+){0,3}))?"
# "sou Marcos", "aqui é Joana da Padaria Pão Quente": the capital tells a name from "sou dono".
_NAME_BARE = re.compile(r"\b(?i:sou|aqui (?:e|é))\s+([A-ZÀ-Ý][\wÀ-ÿ']+" + _NAME_TAIL + ")"
                        + _COMPANY_TAIL)
# "Fernanda aqui", "Laura Person here" at the start of a message.
_NAME_HERE = re.compile(r"^(?:(?i:oi|ola|olá|hi|hello),?\s+)?([A-ZÀ-Ý][\wÀ-ÿ']+" + _NAME_TAIL
                        + r")\s+(?i:aqui|here)\b")
_COMPANY = re.compile(
    r"\b(?:(?:da|na|pela) empresa|trabalho (?:na|no|em|pela|pelo)|falo (?:pela|pelo|da|do)|"
    r"minha empresa (?:e|se chama)|"
    r"i work (?:at|for)|(?:my )?company (?:is|called))\s+([\w&.'-]+(?:\s(?!e\b|and\b|pra\b|para\b|"
    r"in\b|on\b|que\b)[\w&.'-]+){0,2})")
# "from Acme" needs the capital (or "from X company"), or "someone from support" is a company.
_COMPANY_FROM = re.compile(r"\bfrom\s+(?:([A-Z][\w&.'-]+(?:\s[A-Z][\w&.'-]+)?)"
                           r"|([\w&.'-]+)\s+company)\b")
_INTEREST = re.compile(
    r"\b(?:quero comprar|comprar|orcamento (?:para|pra|de)|interessad[oa] (?:em|no|na)|"
    r"(?:quanto|qto|qnto) (?:custa|esta|ta|fica|sai)|(?:preco|valor|valores) (?:do|da|de|dos|das)|"
    r"vou (?:levar|querer)|contratar|assinar|buy|purchase|(?:like|want) to order|interested in|"
    r"price of|pricing for|quote for|cost of|how much is|how much for)\s+"
    r"(?:(?:o|a|os|as|um|uma|the|an)\s)?([^?!.,;:\n]{2,40})")
_INTEREST_STOP = re.compile(r"\s(?:pra|para|hoje|agora|ate|por|today|now|by|asap|please|pfv|"
                            r"que|e|and|with|com|right)\b.*$")


def _span(pattern: re.Pattern[str], text: str, group: int = 0) -> str | None:
    match = pattern.search(fold(text))  # fold keeps positions, so slice the original text
    return text[match.start(group):match.end(group)].strip() if match else None


def _budget(text: str) -> str | None:
    money = _span(_MONEY, text) or _span(_BUDGET_WORD, text, 1)
    return money.rstrip(".,") if money else None


def _company(text: str) -> str | None:
    company = _span(_COMPANY, text, 1)
    if not company and (match := _COMPANY_FROM.search(text)):
        company = match.group(1) or match.group(2)
    return company.rstrip(".,;:!") if company else None


def _phone(text: str) -> str | None:
    for match in _PHONE_BR.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if len(digits) in (10, 11):
            return "+55" + digits
        if len(digits) in (12, 13) and digits.startswith("55"):
            return "+" + digits
        if len(digits) in (8, 9) and not match.group().isdigit():
            return match.group().strip()  # no area code: keep it as written ("91234-5678")
    intl = _PHONE_INTL.search(text)
    return "+" + re.sub(r"\D", "", intl.group()) if intl else None


_URGENCY = [re.compile(r"\b(?:" + pattern + r")\b") for pattern in URGENCY]


def _urgency(norm: str) -> str | None:
    for pattern in _URGENCY:
        match = pattern.search(norm)
        if match:
            label = match.group()
            for plain, accented in ACCENTS.items():
                label = label.replace(plain, accented)
            return label
    return None


def _temperature(norm: str, budget: bool, urgency: bool,
                 budget_before: bool) -> tuple[Temperature, str] | None:
    """This message's own reading, or None when it says nothing about buying. An earlier
    budget makes a deadline hot only when the customer states a need with it ("preciso
    começar amanhã"), not for any "agora" ("tô chegando agora no trabalho")."""
    if _count("cold", norm) or _count("later", norm) or wants_to_cancel(norm):
        return Temperature.COLD, "cancel" if wants_to_cancel(norm) else "cold"
    needs = bool(_P["need"].search(norm))
    if _count("hot", norm) or (urgency and (_count("buy", norm) or budget
                                            or (budget_before and needs))):
        return Temperature.HOT, "close" if _count("hot", norm) else "budget"
    if _count("price", norm) or _count("buy", norm):
        return Temperature.WARM, "price"
    if budget:
        return Temperature.WARM, "budget_only"
    return (Temperature.COLD, "cold") if _count("available", norm) else None


def _names(text: str) -> tuple[str | None, str | None]:
    """The customer's name, and a company introduced with it ("Joana da Padaria Pão Quente")."""
    strong = _span(_NAME_STRONG, text, 1)
    if strong:
        return strong.title(), None
    for pattern in (_NAME_WEAK, _NAME_BARE, _NAME_HERE):
        match = pattern.search(text)
        if match:
            return match.group(1), (match.group(2) if pattern.groups > 1 else None)
    return None, None


def extract_lead(texts: list[str]) -> LeadSignals:
    """Contact details and buying signals from all of a customer's messages, oldest first.

    Details are kept from whichever message gave them; the temperature is the latest
    message's reading with its reason (a lead cools when the customer steps back), and a
    message that says nothing about buying leaves it as it was."""
    lead = LeadSignals()
    reason = "none"
    for text in texts:
        norm = _clauses(text)
        lead.email = lead.email or _span(_EMAIL, text)
        lead.phone = lead.phone or _phone(text)
        name, company = _names(text)
        lead.name = lead.name or name
        lead.company = lead.company or _company(text) or company
        interest = _span(_INTEREST, text, 1)
        if interest:
            lead.interest = _INTEREST_STOP.sub("", " " + interest).strip() or lead.interest
        budget = _budget(text)
        urgency = _urgency(norm)
        reading = _temperature(norm, bool(budget), bool(urgency), bool(lead.budget))
        lead.budget = lead.budget or budget
        lead.urgency = urgency or lead.urgency
        if reading:
            lead.temperature, reason = reading
    english = detect_language(texts[-1], texts[:-1]) == "en" if texts else False
    lead.reason = REASONS[reason][english]
    return lead


def mentions(phrase: str, text: str) -> bool:
    """An admin's keyword as whole words, accents and case folded, and not negated
    ("não quero falar com o financeiro" does not mention "financeiro" as a request)."""
    pattern = _phrase(phrase)
    norm = _clauses(text)
    return any(not _negated_at(norm, match.start()) for match in pattern.finditer(norm))


def same_need(text: str, earlier: str) -> bool:
    """The customer asks again what they asked just before (most content words shared)."""
    from smarterchat.backend.ai.knowledge import tokens

    now, before = set(tokens(text)), set(tokens(earlier))
    if not now or not before:
        return False
    return len(now & before) / min(len(now), len(before)) >= 0.5


def asks_if_bot(text: str) -> bool:
    """ "Você é um robô?", "am I talking to a bot?"."""
    return bool(_P["bot_question"].search(_clauses(text)))
